using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using SchemaBuild.Core.Artifacts.Json;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Artifacts;

/// <summary>
/// Writes model records by the properties <see cref="ModelSerializer"/> serializes, through typed property writers
/// (a getter delegate, a typed default test and a typed value writer per property) made once per record type:
/// no boxed value, default comparison through <c>object</c> and type switch per property written. No code is
/// generated at run time (compiling expression trees costs a short plan a tenth of a second of start-up).
/// </summary>
internal static class RecordWriters
{
    private static readonly ConcurrentDictionary<Type, PropertyWriter[]> ByType = new();

    /// <summary>Writes a record (not null) of a type that is not a scalar, list or source detail.</summary>
    public static void Write(JsonWriter writer, object record, bool includeSource) =>
        WriteProperties(writer, record, ByType.GetOrAdd(record.GetType(), Create), includeSource);

    private static void WriteProperties(JsonWriter writer, object record, PropertyWriter[] properties, bool includeSource)
    {
        writer.StartObject();
        foreach (var property in properties)
        {
            if (includeSource || !property.SourceOnly)
            {
                property.Write(writer, record, includeSource);
            }
        }

        writer.EndObject();
    }

    private static PropertyWriter[] Create(Type type) => ModelSerializer.SerializedProperties(type)
        .Select(p => (PropertyWriter)Activator.CreateInstance(typeof(PropertyWriter<,>).MakeGenericType(type, p.Info.PropertyType), p)!)
        .ToArray();

    private static MethodInfo Method(string name) => typeof(RecordWriters).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void WriteString(JsonWriter writer, string value, bool includeSource) => writer.String(value);

    private static void WriteBool(JsonWriter writer, bool value, bool includeSource) => writer.Bool(value);

    private static void WriteInt32(JsonWriter writer, int value, bool includeSource) => writer.Number(value);

    private static void WriteInt64(JsonWriter writer, long value, bool includeSource) => writer.Number(value);

    private static void WriteDialect(JsonWriter writer, DialectKind value, bool includeSource) => writer.String(DialectNames.Of(value));

    private static void WriteEnum<T>(JsonWriter writer, T value, bool includeSource)
        where T : struct, Enum => writer.String(EnumText<T>.Of(value));

    private static void WriteNullable<T>(JsonWriter writer, T? value, bool includeSource)
        where T : struct => ValueWriter<T>.Write(writer, value!.Value, includeSource);

    private static void WriteList<T>(JsonWriter writer, EquatableList<T> items, bool includeSource)
    {
        writer.StartArray();
        foreach (var item in items)
        {
            if (item is null)
            {
                writer.Null();
            }
            else
            {
                ValueWriter<T>.Write(writer, item, includeSource);
            }
        }

        writer.EndArray();
    }

    private static void WriteRecord<T>(JsonWriter writer, T value, bool includeSource)
        where T : class => WriteProperties(writer, value, RecordProperties<T>.Writers, includeSource);

    private static void WriteGeneral(JsonWriter writer, object value, bool includeSource) => ModelSerializer.Write(writer, value, includeSource);

    /// <summary>One property: read, tested against its default and written, all typed.</summary>
    private abstract class PropertyWriter
    {
        protected PropertyWriter(ModelSerializer.SerializedProperty property)
        {
            JsonName = property.JsonName;
            SourceOnly = property.SourceOnly;
        }

        public string JsonName { get; }

        public bool SourceOnly { get; }

        public abstract void Write(JsonWriter writer, object record, bool includeSource);
    }

    private sealed class PropertyWriter<TRecord, TValue> : PropertyWriter
    {
        private readonly Func<TRecord, TValue> get;
        private readonly bool hasDefault;
        private readonly TValue defaultValue;

        // Spans, annotations and SQL as written compare equal whatever they hold (they are not part of a model's identity): only an empty one is left out.
        private readonly Func<TValue, bool>? isEmptyDetail;

        public PropertyWriter(ModelSerializer.SerializedProperty property)
            : base(property)
        {
            get = (Func<TRecord, TValue>)Delegate.CreateDelegate(typeof(Func<TRecord, TValue>), property.Info.GetGetMethod()!);
            hasDefault = property.Default is not null;
            defaultValue = hasDefault ? (TValue)property.Default! : default!;
            isEmptyDetail = typeof(TValue) == typeof(Annotations) ? v => ((Annotations)(object)v!).IsEmpty
                : typeof(TValue) == typeof(WrittenSql) ? v => ((WrittenSql)(object)v!).IsNone
                : typeof(TValue) == typeof(SourceSpan) ? v => ((SourceSpan)(object)v!).IsNone
                : null;
        }

        public override void Write(JsonWriter writer, object record, bool includeSource)
        {
            var value = get((TRecord)record);
            if (value is null
                || (isEmptyDetail is not null ? isEmptyDetail(value) : hasDefault && EqualityComparer<TValue>.Default.Equals(value, defaultValue)))
            {
                return;
            }

            writer.Name(JsonName);
            ValueWriter<TValue>.Write(writer, value, includeSource);
        }
    }

    /// <summary>The writer of a value (not null) of one declared type, chosen once per type.</summary>
    private static class ValueWriter<T>
    {
        public static readonly Action<JsonWriter, T, bool> Write = Choose();

        private static Action<JsonWriter, T, bool> Choose()
        {
            var type = typeof(T);
            var method = type == typeof(string) ? Method(nameof(WriteString))
                : type == typeof(bool) ? Method(nameof(WriteBool))
                : type == typeof(int) ? Method(nameof(WriteInt32))
                : type == typeof(long) ? Method(nameof(WriteInt64))
                : type == typeof(DialectKind) ? Method(nameof(WriteDialect))
                : type.IsEnum ? Method(nameof(WriteEnum)).MakeGenericMethod(type)
                : Nullable.GetUnderlyingType(type) is { } underlying ? Method(nameof(WriteNullable)).MakeGenericMethod(underlying)
                : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableList<>) ? Method(nameof(WriteList)).MakeGenericMethod(type.GetGenericArguments()[0])
                : type.IsSealed && ModelSerializer.IsRecord(type) && !ModelSerializer.IsSourceDetail(type) ? Method(nameof(WriteRecord)).MakeGenericMethod(type)
                : Method(nameof(WriteGeneral)); // source details and anything else: the serializer's general path
            return (Action<JsonWriter, T, bool>)Delegate.CreateDelegate(typeof(Action<JsonWriter, T, bool>), method);
        }
    }

    /// <summary>The property writers of a record type known where it is written (its properties' declared types are sealed).</summary>
    private static class RecordProperties<T>
    {
        public static readonly PropertyWriter[] Writers = ByType.GetOrAdd(typeof(T), Create);
    }

    /// <summary>An enum's values as written (kebab-case), worked out once per value.</summary>
    private static class EnumText<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly ConcurrentDictionary<TEnum, string> Names = new();

        public static string Of(TEnum value) => Names.TryGetValue(value, out var name) ? name : Names.GetOrAdd(value, v => ModelSerializer.Kebab(v.ToString()));
    }
}
