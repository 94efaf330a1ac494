using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Deployment.Shards;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// <c>--targets FILE</c> (docs/deploy.md, "Shards"), or <c>--connection</c> repeated: the shards a
/// command works on. Absent (one <c>--connection</c> or none), the command works on one database.
/// </summary>
public sealed class TargetsOption
{
    public Option<FileInfo?> Targets { get; } = new("--targets")
    {
        Description = "A targets file listing the shards ({\"shards\": [{\"name\": \"eu-1\", \"connection\": \"mariadb://deploy@db1:3306/shop\"}, {\"name\": \"eu-2\", \"connectionEnv\": \"EU2_URL\"}]}): the command works on every shard. Or repeat --connection.",
    };

    public void AddTo(Command command) => command.Options.Add(Targets);

    /// <summary>The shards, or null when the command works on one database (then read <paramref name="connection"/> as usual).</summary>
    public IReadOnlyList<ShardTarget>? Read(ParseResult parseResult, ConnectionOption connection)
    {
        var file = parseResult.GetValue(Targets);
        var given = connection.Values(parseResult);
        if (file is not null && given.Count > 0)
        {
            throw new UsageException("--targets and --connection: give the shards one way, in the targets file or as repeated --connection");
        }

        if (file is not null)
        {
            if (!file.Exists)
            {
                throw new UsageException($"--targets: file '{file.FullName}' does not exist; write one shard per entry: {{\"shards\": [{{\"name\": \"eu-1\", \"connection\": \"mariadb://deploy@db1:3306/shop\"}}]}}");
            }

            try
            {
                return ShardTargetsFile.Read(file.FullName);
            }
            catch (FormatException ex)
            {
                throw new UsageException("--targets " + ex.Message);
            }
        }

        if (given.Count < 2)
        {
            return null;
        }

        var urls = given.Select(ConnectionOption.Parse).ToList();
        var qualify = urls.Select(u => u.Database).Distinct(StringComparer.Ordinal).Count() < urls.Count;
        var shards = urls.Select(u => ShardTarget.FromConnection(u, qualify)).ToList();
        try
        {
            ShardTargetsFile.Validate(shards, "--connection");
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }

        return shards;
    }

    /// <summary>Runs a one-database command on the database given, or on every shard (<see cref="ForEachAsync"/>).</summary>
    public static Task<int> RunAsync(ParseResult parseResult, ConnectionOption connection, TargetsOption targets, Func<ConnectionUrl, Task<int>> action) =>
        targets.Read(parseResult, connection) is { } shards ? ForEachAsync(shards, action) : action(connection.Read(parseResult));

    /// <summary>
    /// Runs a one-database command on every shard in turn, each shard's output after a <c>[name] target</c>
    /// line; the exit code is the worst of them (every shard is tried, whatever an earlier one returned).
    /// </summary>
    public static async Task<int> ForEachAsync(IReadOnlyList<ShardTarget> shards, Func<ConnectionUrl, Task<int>> action)
    {
        var worst = ExitCodes.Success;
        foreach (var shard in shards)
        {
            Console.Out.WriteLine($"[{shard.Name}] {shard.Connection}");
            worst = Math.Max(worst, await action(shard.Connection));
        }

        return worst;
    }
}
