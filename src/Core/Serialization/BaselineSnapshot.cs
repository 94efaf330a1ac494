using System;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Serialization;

/// <summary>
/// schema.baseline.json: what production has now, as a normalized model with its annotations
/// (so a later drop of a deprecated object is recognised as a planned contraction).
/// </summary>
public static class BaselineSnapshot
{
    public const int FormatVersion = 1;

    public static string Write(Schema schema)
    {
        var json = new JsonWriter();
        json.StartObject()
            .Name("formatVersion").Number(FormatVersion)
            .Name("dialect").String(DialectNames.Of(schema.Dialect))
            .Name("fingerprint").String(ModelFingerprint.Compute(schema))
            .Name("schema");
        ModelSerializer.Write(json, schema with { Allowances = EquatableList<Allowance>.Empty }, includeSource: true);
        json.EndObject();
        return json.ToString() + "\n";
    }

    /// <summary>Reads a snapshot; a <see cref="FormatException"/> says what is wrong with it.</summary>
    public static Schema Read(string text)
    {
        var root = JsonParser.Parse(text) as JsonObject ?? throw new FormatException("a baseline snapshot is a JSON object");
        var version = root.GetNumber("formatVersion");
        if (version != FormatVersion)
        {
            throw new FormatException($"baseline format version {version?.ToString() ?? "(missing)"} is not supported; this SchemaBuild reads version {FormatVersion}. Write it again with 'dotnet schema baseline'");
        }

        var schema = root["schema"] ?? throw new FormatException("the baseline has no 'schema' property");
        return ModelSerializer.ReadSchema(schema);
    }
}
