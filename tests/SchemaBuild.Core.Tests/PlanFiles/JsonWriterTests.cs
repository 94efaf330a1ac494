using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Core.Syntax;
using Xunit;

namespace SchemaBuild.Core.Tests.PlanFiles;

/// <summary>
/// The JSON writer's bytes are a format (plan.json diffs, fingerprints): the buffered, streaming
/// writer must give exactly the documented text, and the streamed plan.json and fingerprint must
/// equal the in-memory ones.
/// </summary>
public sealed class JsonWriterTests
{
    [Fact]
    public void Indented_document_has_the_documented_layout_and_escapes()
    {
        var json = new JsonWriter();
        json.StartObject()
            .Name("a").Number(1)
            .Name("b").StartArray().String("x\"y\\z\n\r\t\u0001\u2028").Number(-42).Bool(true).Null().EndArray()
            .Name("c").StartObject().EndObject()
            .Name("d").StartArray().EndArray()
            .Name("e").StartArray().StartObject().Name("f").String("é€𝄞").EndObject().EndArray()
            .EndObject();

        Assert.Equal(
            "{\n  \"a\": 1,\n  \"b\": [\n    \"x\\\"y\\\\z\\n\\r\\t\\u0001\\u2028\",\n    -42,\n    true,\n    null\n  ],\n"
            + "  \"c\": {},\n  \"d\": [],\n  \"e\": [\n    {\n      \"f\": \"é€𝄞\"\n    }\n  ]\n}",
            json.ToString());
    }

    [Fact]
    public void Compact_document_has_no_whitespace()
    {
        var json = new JsonWriter(indented: false);
        json.StartObject().Name("a").StartArray().Number(10).String("b").EndArray().Name("c").Bool(false).EndObject();
        Assert.Equal("{\"a\":[10,\"b\"],\"c\":false}", json.ToString());
    }

    [Fact]
    public void Strings_longer_than_the_buffer_and_deep_nesting_are_written_whole()
    {
        var big = new string('q', 40_000) + "\"" + new string('r', 40_000);
        var json = new JsonWriter(indented: false);
        for (var i = 0; i < 5_000; i++)
        {
            json.StartArray();
        }

        json.String(big);
        for (var i = 0; i < 5_000; i++)
        {
            json.EndArray();
        }

        var expected = new string('[', 5_000) + "\"" + big.Replace("\"", "\\\"") + "\"" + new string(']', 5_000);
        Assert.Equal(expected, json.ToString());
    }

    [Fact]
    public void Streamed_plan_json_equals_the_string_and_the_fingerprint_hashes_the_compact_model_json()
    {
        var dialect = SqlDialects.For(DialectKind.Postgres);
        var text = string.Concat(Enumerable.Range(0, 300).Select(i =>
            $"CREATE TABLE t{i} (id bigint PRIMARY KEY, name text NOT NULL DEFAULT 'n€{i}', note text);\nCOMMENT ON TABLE t{i} IS 'table \"{i}\"';\n"));
        var schema = dialect.Normalize(dialect.Parse(new[] { new SourceFile("Schema/t.sql", text) }).Schema);
        var plan = SchemaBuild.Core.Planning.Planner.Create(new Schema(DialectKind.Postgres), schema, EngineProfile.For(DialectKind.Postgres));

        var streamed = new StringWriter();
        PlanJson.Write(plan, streamed);
        Assert.Equal(PlanJson.Write(plan), streamed.ToString());
        Assert.True(streamed.ToString().Length > 100_000, "the plan spans many writer buffers");

        var compact = ModelSerializer.ToJson(schema, includeSource: false, indented: false);
        using var sha = SHA256.Create();
        var expected = "sha256:" + string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(compact)).Select(b => b.ToString("x2")));
        Assert.Equal(expected, ModelFingerprint.Compute(schema));
    }
}
