using System;
using System.Collections.Generic;
using System.IO;
using SchemaBuild.Core.Serialization.Json;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>--table-rows FILE</c>: a JSON object of row counts per table, for ghost-copy estimates.</summary>
public static class TableRows
{
    public static IReadOnlyDictionary<string, long> Read(FileInfo? file)
    {
        var rows = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        if (file is null)
        {
            return rows;
        }

        if (!file.Exists)
        {
            throw new UsageException($"--table-rows: file '{file.FullName}' does not exist; write a JSON object such as {{\"shop.orders\": 1200000}}");
        }

        JsonNode parsed;
        try
        {
            parsed = JsonParser.Parse(File.ReadAllText(file.FullName));
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--table-rows: {file.FullName} is not JSON ({ex.Message}); write an object such as {{\"shop.orders\": 1200000}}");
        }

        if (parsed is not JsonObject table)
        {
            throw new UsageException($"--table-rows: {file.FullName} must hold a JSON object of table names and row counts, e.g. {{\"shop.orders\": 1200000}}");
        }

        foreach (var pair in table.Properties)
        {
            rows[pair.Key] = pair.Value is JsonNumber number
                ? number.AsLong()
                : throw new UsageException($"--table-rows: the row count of '{pair.Key}' in {file.FullName} is not a whole number");
        }

        return rows;
    }
}
