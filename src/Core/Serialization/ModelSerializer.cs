using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Serialization;

/// <summary>
/// Model ⇄ JSON for baselines, the plan's target model and fingerprints. Walks the model records
/// by reflection so a new model property is serialized without touching this file. Property names
/// are camelCase, enums kebab-case; nulls and empty lists are left out.
/// </summary>
public static class ModelSerializer
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PropertiesByType = new();
    private static readonly ConcurrentDictionary<Type, Getter[]> GettersByType = new();

    // Enum values as written, worked out once: a large model writes millions of them (fingerprint and plan.json).
    private static readonly ConcurrentDictionary<Enum, string> EnumNames = new();

    /// <summary>Writes a model; <paramref name="includeSource"/> adds spans, annotations, allowances and the SQL as written (baselines and plan.json keep them, fingerprints do not).</summary>
    public static void Write(JsonWriter writer, object model, bool includeSource)
    {
        WriteValue(writer, model, includeSource);
    }

    public static string ToJson(Schema schema, bool includeSource, bool indented = true)
    {
        var writer = new JsonWriter(indented);
        Write(writer, schema, includeSource);
        return writer.ToString();
    }

    public static Schema ReadSchema(JsonNode node) => (Schema)ReadValue(node, typeof(Schema))!;

    private static void WriteValue(JsonWriter writer, object? value, bool includeSource)
    {
        switch (value)
        {
            case null:
                writer.Null();
                return;
            case string s:
                writer.String(s);
                return;
            case bool b:
                writer.Bool(b);
                return;
            case int i:
                writer.Number(i);
                return;
            case long l:
                writer.Number(l);
                return;
            case DialectKind dialect:
                writer.String(DialectNames.Of(dialect));
                return;
            case Enum e:
                writer.String(EnumNames.GetOrAdd(e, v => Kebab(v.ToString())));
                return;
            case SourceSpan span:
                writer.StartObject().Name("file").String(span.File).Name("line").Number(span.Line).Name("column").Number(span.Column).EndObject();
                return;
            case Annotations annotations:
                writer.StartObject();
                if (annotations.RenamedFrom is not null)
                {
                    writer.Name("renamedFrom").String(annotations.RenamedFrom);
                }

                if (annotations.Deprecated is not null)
                {
                    writer.Name("deprecated").String(annotations.Deprecated);
                }

                writer.EndObject();
                return;
            case WrittenSql written:
                writer.String(written.Text);
                return;
            case IReadOnlyList<object> list:
                // Model lists of records and strings by index: a foreach through IEnumerable boxes the list's enumerator.
                writer.StartArray();
                for (var i = 0; i < list.Count; i++)
                {
                    WriteValue(writer, list[i], includeSource);
                }

                writer.EndArray();
                return;
            case IEnumerable items:
                writer.StartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item, includeSource);
                }

                writer.EndArray();
                return;
        }

        writer.StartObject();
        foreach (var getter in Getters(value.GetType()))
        {
            if (!includeSource && getter.SourceOnly)
            {
                continue;
            }

            var propertyValue = getter.Get(value);
            // Annotations and spans compare equal whatever they hold (they are not part of a model's identity): only an empty one is left out.
            if (propertyValue is Annotations annotations ? annotations.IsEmpty
                : propertyValue is WrittenSql written ? written.IsNone
                : propertyValue is SourceSpan span ? span.IsNone
                : propertyValue is null || Equals(propertyValue, getter.Default))
            {
                continue;
            }

            writer.Name(getter.JsonName);
            WriteValue(writer, propertyValue, includeSource);
        }

        writer.EndObject();
    }

    private static bool IsSourceOnly(PropertyInfo property) =>
        property.PropertyType == typeof(SourceSpan) || property.PropertyType == typeof(Annotations) || property.PropertyType == typeof(WrittenSql)
        || (property.DeclaringType == typeof(Schema) && property.Name == nameof(Schema.Allowances));

    private static object? ReadValue(JsonNode node, Type type)
    {
        if (node is JsonNull)
        {
            return null;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return Expect<JsonString>(node, type).Value;
        }

        if (underlying == typeof(bool))
        {
            return Expect<JsonBool>(node, type).Value;
        }

        if (underlying == typeof(int))
        {
            return checked((int)Expect<JsonNumber>(node, type).AsLong());
        }

        if (underlying == typeof(long))
        {
            return Expect<JsonNumber>(node, type).AsLong();
        }

        if (underlying == typeof(DialectKind))
        {
            var text = Expect<JsonString>(node, type).Value;
            return DialectNames.TryParse(text, out var dialect) ? dialect : throw new FormatException($"'{text}' is not a dialect");
        }

        if (underlying.IsEnum)
        {
            var text = Expect<JsonString>(node, type).Value;
            var name = Enum.GetNames(underlying).FirstOrDefault(n => Kebab(n) == text)
                ?? throw new FormatException($"'{text}' is not a valid {underlying.Name}");
            return Enum.Parse(underlying, name);
        }

        if (underlying == typeof(SourceSpan))
        {
            var span = Expect<JsonObject>(node, type);
            return new SourceSpan(span.GetString("file") ?? string.Empty, (int)(span.GetNumber("line") ?? 0), (int)(span.GetNumber("column") ?? 0), 0, 0);
        }

        if (underlying == typeof(WrittenSql))
        {
            return new WrittenSql(Expect<JsonString>(node, type).Value);
        }

        if (underlying == typeof(Annotations))
        {
            var annotations = Expect<JsonObject>(node, type);
            return new Annotations(annotations.GetString("renamedFrom"), annotations.GetString("deprecated"));
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(EquatableList<>))
        {
            var elementType = underlying.GetGenericArguments()[0];
            var array = Expect<JsonArray>(node, type);
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
            foreach (var item in array.Items)
            {
                list.Add(ReadValue(item, elementType));
            }

            return underlying.GetMethod("Of", new[] { typeof(IEnumerable<>).MakeGenericType(elementType) })!.Invoke(null, new object[] { list });
        }

        return ReadRecord(Expect<JsonObject>(node, type), underlying);
    }

    private static object ReadRecord(JsonObject json, Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var parameters = constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var value = json[Camel(parameters[i].Name!)];
            arguments[i] = value is null ? DefaultFor(parameters[i].ParameterType) : ReadValue(value, parameters[i].ParameterType);
        }

        var instance = constructor.Invoke(arguments);
        var fromConstructor = new HashSet<string>(parameters.Select(p => Camel(p.Name!)));
        foreach (var property in Properties(type))
        {
            var name = Camel(property.Name);
            if (fromConstructor.Contains(name) || json[name] is not { } value)
            {
                continue;
            }

            property.SetValue(instance, ReadValue(value, property.PropertyType));
        }

        return instance;
    }

    private static object? DefaultFor(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableList<>))
        {
            return type.GetField("Empty")!.GetValue(null);
        }

        return type.IsValueType ? Activator.CreateInstance(type) : null;
    }

    private static T Expect<T>(JsonNode node, Type type)
        where T : JsonNode =>
        node as T ?? throw new FormatException($"expected a JSON {typeof(T).Name.Replace("Json", string.Empty).ToLowerInvariant()} for {type.Name}");

    /// <summary>Serializable properties: public, settable (init or positional), in declaration order.</summary>
    private static PropertyInfo[] Properties(Type type) => PropertiesByType.GetOrAdd(type, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .OrderBy(p => p.MetadataToken)
            .ToArray());

    /// <summary>
    /// Compiled getters (reflection's GetValue dominated fingerprinting a large model) with each
    /// property's default: the value in a record built from empty constructor arguments. Values equal
    /// to it are left out, and reading a document that lacks them gives the same defaults back.
    /// </summary>
    private static Getter[] Getters(Type type) => GettersByType.GetOrAdd(type, t =>
    {
        var constructor = t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var prototype = constructor.Invoke(constructor.GetParameters().Select(p => DefaultFor(p.ParameterType)).ToArray());
        return Properties(t).Select(p =>
        {
            var instance = System.Linq.Expressions.Expression.Parameter(typeof(object));
            var body = Boxed(System.Linq.Expressions.Expression.Property(System.Linq.Expressions.Expression.Convert(instance, t), p));
            var get = System.Linq.Expressions.Expression.Lambda<Func<object, object?>>(body, instance).Compile();
            return new Getter(Camel(p.Name), IsSourceOnly(p), get, get(prototype));
        }).ToArray();
    });

    // Small values boxed once: a large model's fingerprints and plan.json read millions of flags, enum values and sizes,
    // and boxing each of them again was a tenth of what writing them allocated.
    private const int CachedBoxes = 256;

    /// <summary>The property's value as an object, taken from a table of boxes made once where the value is a bool, a small enum value or a small int.</summary>
    private static System.Linq.Expressions.Expression Boxed(System.Linq.Expressions.Expression value)
    {
        var type = value.Type;
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            var inner = Boxed(System.Linq.Expressions.Expression.Property(value, "Value"));
            return System.Linq.Expressions.Expression.Condition(
                System.Linq.Expressions.Expression.Property(value, "HasValue"), inner, System.Linq.Expressions.Expression.Constant(null, typeof(object)));
        }

        if (type == typeof(bool))
        {
            return System.Linq.Expressions.Expression.Condition(
                value, System.Linq.Expressions.Expression.Constant(true, typeof(object)), System.Linq.Expressions.Expression.Constant(false, typeof(object)));
        }

        if (type == typeof(int) || (type.IsEnum && Enum.GetUnderlyingType(type) == typeof(int)))
        {
            var boxes = new object[CachedBoxes];
            for (var i = 0; i < boxes.Length; i++)
            {
                boxes[i] = type.IsEnum ? Enum.ToObject(type, i) : i;
            }

            var number = type.IsEnum ? System.Linq.Expressions.Expression.Convert(value, typeof(int)) : value;
            var cached = System.Linq.Expressions.Expression.LessThan(
                System.Linq.Expressions.Expression.Convert(number, typeof(uint)), System.Linq.Expressions.Expression.Constant((uint)CachedBoxes));
            return System.Linq.Expressions.Expression.Condition(
                cached,
                System.Linq.Expressions.Expression.ArrayIndex(System.Linq.Expressions.Expression.Constant(boxes), number),
                System.Linq.Expressions.Expression.Convert(value, typeof(object)));
        }

        return System.Linq.Expressions.Expression.Convert(value, typeof(object));
    }

    /// <summary>A property as written: its JSON name and source-only flag are worked out once per type, not per value.</summary>
    private sealed record Getter(string JsonName, bool SourceOnly, Func<object, object?> Get, object? Default);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    private static string Kebab(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
