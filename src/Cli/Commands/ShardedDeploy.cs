using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Cli.Progress;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Deployment.Shards;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>deploy --targets</c> (or <c>--connection</c> repeated): one plan on every shard, progress lines prefixed with the shard's name.</summary>
internal static class ShardedDeploy
{
    public static Task<ShardedDeploymentResult> RunAsync(Plan plan, IReadOnlyList<ShardTarget> shards, DeployOptions options, ShardDeployOptions given, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"targets: {shards.Count} shard(s): {string.Join(", ", shards)}");
        var shardOptions = given with
        {
            ProgressFor = name => new PlainProgress(Console.Error, $"[{name}] "),
            Note = new PlainProgress(Console.Error).Note,
        };
        return new ShardedDeployer().DeployAsync(plan, shards, options, shardOptions, cancellationToken);
    }

    public static string Text(ShardedDeploymentResult result)
    {
        var text = new StringBuilder();
        foreach (var shard in result.Shards)
        {
            var writer = SqlDialects.For(shard.Shard.Connection.Dialect).Writer;
            foreach (var line in DeployCommand.Text(shard.Result, shard.Shard.Connection.Database ?? shard.Shard.Name, writer).TrimEnd('\n').Split('\n'))
            {
                text.Append($"[{shard.Shard.Name}] ").Append(line).Append('\n');
            }
        }

        foreach (var cutover in result.Cutovers)
        {
            text.Append($"cutover on {cutover.Shards} shard(s): spread {cutover.Spread.TotalMilliseconds:0} ms between the first ({cutover.First}) and the last ({cutover.Last}) swap; "
                        + $"the first shard in sync waited {cutover.HeldAtGate.TotalSeconds:0.0}s at the gate for the others.\n");
        }

        return text.ToString();
    }

    /// <summary>docs/deploy.md, "Shards": the deployment id, each shard's outcome, and each cutover's spread.</summary>
    public static string Json(ShardedDeploymentResult result)
    {
        var json = new JsonWriter();
        json.StartObject().Name("deploymentId").String(result.DeploymentId).Name("shards").StartArray();
        foreach (var shard in result.Shards)
        {
            json.StartObject().Name("name").String(shard.Shard.Name).Name("target").String(shard.Shard.Connection.ToString())
                .Name("outcome").String(DeployCommand.OutcomeName(shard.Result.Outcome))
                .Name("resumed").Bool(shard.Result.Resumed).Name("statements").Number(shard.Result.Statements.Count)
                .Name("cutoverLockHeldMs").Number((long)shard.Result.CutoverLockHeld.TotalMilliseconds).EndObject();
        }

        json.EndArray().Name("cutovers").StartArray();
        foreach (var cutover in result.Cutovers)
        {
            json.StartObject().Name("shards").Number(cutover.Shards).Name("spreadMs").Number((long)cutover.Spread.TotalMilliseconds)
                .Name("first").String(cutover.First).Name("last").String(cutover.Last).Name("heldAtGateMs").Number((long)cutover.HeldAtGate.TotalMilliseconds).EndObject();
        }

        return json.EndArray().EndObject() + "\n";
    }
}
