using System.Collections.Generic;
using System.Globalization;

namespace SchemaBuild.Core.Serialization.Json;

/// <summary>A parsed JSON value.</summary>
public abstract class JsonNode
{
}

/// <summary>A JSON object; properties keep their order.</summary>
public sealed class JsonObject : JsonNode
{
    public List<KeyValuePair<string, JsonNode>> Properties { get; } = new();

    public JsonNode? this[string name]
    {
        get
        {
            foreach (var pair in Properties)
            {
                if (pair.Key == name)
                {
                    return pair.Value;
                }
            }

            return null;
        }
    }

    public string? GetString(string name) => (this[name] as JsonString)?.Value;

    public long? GetNumber(string name) => (this[name] as JsonNumber)?.AsLong();

    public bool? GetBool(string name) => (this[name] as JsonBool)?.Value;
}

/// <summary>A JSON array.</summary>
public sealed class JsonArray : JsonNode
{
    public List<JsonNode> Items { get; } = new();
}

/// <summary>A JSON string.</summary>
public sealed class JsonString : JsonNode
{
    public JsonString(string value) => Value = value;

    public string Value { get; }
}

/// <summary>A JSON number, kept as its text.</summary>
public sealed class JsonNumber : JsonNode
{
    public JsonNumber(string text) => Text = text;

    public string Text { get; }

    public long AsLong() => long.Parse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}

/// <summary>true or false.</summary>
public sealed class JsonBool : JsonNode
{
    public static readonly JsonBool True = new(true);

    public static readonly JsonBool False = new(false);

    public JsonBool(bool value) => Value = value;

    public bool Value { get; }
}

/// <summary>null.</summary>
public sealed class JsonNull : JsonNode
{
    public static readonly JsonNull Instance = new();
}
