using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SchemaBuild.Runtime.Connections;

namespace SchemaBuild.Runtime.Deployment.Shards;

/// <summary>
/// Reads a targets file (docs/deploy.md, "Shards"): <c>{"shards": [{"name": "eu-1", "connection": "mariadb://deploy@db1:3306/shop"},
/// {"name": "eu-2", "connectionEnv": "SHOP_EU2_URL"}]}</c>. A connection in the file carries no password
/// (the engine's own conventions supply it: PGPASSWORD, ~/.pgpass, MYSQL_PWD, an option file);
/// <c>connectionEnv</c> names an environment variable that holds the whole connection instead.
/// Errors name the file, the line and what to change.
/// </summary>
public static class ShardTargetsFile
{
    public static IReadOnlyList<ShardTarget> Read(string path) => Read(path, Environment.GetEnvironmentVariable);

    public static IReadOnlyList<ShardTarget> Read(string path, Func<string, string?> environment)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read the targets file: {ex.Message}");
        }

        return Parse(text, path, environment);
    }

    public static IReadOnlyList<ShardTarget> Parse(string text, string path, Func<string, string?> environment)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{path}({(ex.LineNumber ?? 0) + 1}): not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("shards", out var shards) || shards.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{path}: a targets file is an object with a \"shards\" array: {{\"shards\": [{{\"name\": \"eu-1\", \"connection\": \"mariadb://deploy@db1:3306/shop\"}}]}}");
            }

            var targets = new List<ShardTarget>();
            var index = 0;
            foreach (var shard in shards.EnumerateArray())
            {
                index++;
                targets.Add(Shard(shard, $"{path}: shard {index}", environment));
            }

            Validate(targets, path);
            return targets;
        }
    }

    /// <summary>Every shard named once, at least one, one engine.</summary>
    public static void Validate(IReadOnlyList<ShardTarget> targets, string where)
    {
        if (targets.Count == 0)
        {
            throw new FormatException($"{where}: no shards; list at least one");
        }

        if (targets.GroupBy(t => $"{t.Server}/{t.Connection.Database}", StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } same)
        {
            throw new FormatException($"{where}: shards {string.Join(" and ", same.Select(t => t.Name))} are the same database ({same.First().Connection}); each shard is its own database");
        }

        if (targets.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new FormatException($"{where}: the shard name '{twice.Key}' appears {twice.Count()} times; give each shard its own name");
        }

        if (targets.Select(t => t.Connection.Dialect).Distinct().Count() > 1)
        {
            throw new FormatException($"{where}: the shards mix engines ({string.Join(", ", targets.Select(t => $"{t.Name}: {Core.Dialects.DialectNames.Of(t.Connection.Dialect)}"))}); one plan is applied to databases of one engine");
        }
    }

    private static ShardTarget Shard(JsonElement shard, string where, Func<string, string?> environment)
    {
        if (shard.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: each shard is an object with \"name\" and \"connection\" (or \"connectionEnv\")");
        }

        var name = Text(shard, "name", where) ?? throw new FormatException($"{where}: \"name\" is missing; name every shard (it prefixes its progress lines)");
        where = $"{where} ('{name}')";
        var inline = Text(shard, "connection", where);
        var variable = Text(shard, "connectionEnv", where);
        if ((inline is null) == (variable is null))
        {
            throw new FormatException($"{where}: give exactly one of \"connection\" (a URL without password) or \"connectionEnv\" (the name of an environment variable holding the connection)");
        }

        ConnectionUrl url;
        try
        {
            var connection = inline ?? environment(variable!) ?? throw new FormatException($"the environment variable {variable} is not set; set it to the shard's connection URL");
            url = ConnectionUrl.Parse(connection, environment);
            url.RequireDatabase();
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{where}: {ex.Message}");
        }

        if (inline is not null && url.PasswordSource == PasswordSource.Text)
        {
            throw new FormatException(
                $"{where}: the connection carries a password; keep passwords out of the targets file: put the URL in an environment variable named by \"connectionEnv\", "
                + "or use PGPASSWORD / ~/.pgpass (PostgreSQL), MYSQL_PWD or ?defaults-file= (MySQL, MariaDB)");
        }

        return new ShardTarget(name, url);
    }

    private static string? Text(JsonElement shard, string property, string where)
    {
        if (!shard.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"{where}: \"{property}\" must be a non-empty string");
    }
}
