using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Cli.Output;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Deployment.Shards;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema status</c>: deployments recorded in the target database's control tables.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOption();
        var targets = new TargetsOption();
        var deployment = new Option<string?>("--deployment") { Description = "One deployment id (default: the most recent ones)." };
        var limit = new Option<int>("--limit") { Description = "How many recent deployments to list.", DefaultValueFactory = _ => 5 };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        var waitFor = new Option<string?>("--wait-for") { Description = "Block until the deployment (--deployment, default the most recent) is ready (every table in sync at the gate) or done; exit 0 then, 4 when it failed or was cancelled, 5 on --timeout." };
        waitFor.AcceptOnlyFromAmong("ready", "done");
        var timeout = new Option<double>("--timeout") { Description = "With --wait-for: give up after this many seconds (exit 5).", DefaultValueFactory = _ => 3600 };
        format.AcceptOnlyFromAmong("text", "json");
        var stateTables = new StateTableOptions();
        var command = new Command("status", "Show the progress of deployments recorded in the target database.");
        foreach (var option in new Option[] { connection.Connection, deployment, limit, format, waitFor, timeout })
        {
            command.Options.Add(option);
        }

        targets.AddTo(command);

        stateTables.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var names = stateTables.Read(parseResult);
            var json = parseResult.GetValue(format) == "json";
            var id = parseResult.GetValue(deployment);
            var count = Math.Max(1, parseResult.GetValue(limit));
            if (targets.Read(parseResult, connection) is { } shards)
            {
                return parseResult.GetValue(waitFor) is { } shardGoal
                    ? await WaitForShardsAsync(shards, names, id, shardGoal, TimeSpan.FromSeconds(parseResult.GetValue(timeout)), json, cancellationToken)
                    : json ? await ShardsJsonAsync(shards, names, id, count, cancellationToken)
                    : await TargetsOption.ForEachAsync(shards, url => RuntimeErrors.RunAsync(url, Console.Error, async () =>
                    {
                        Console.Out.Write(await ReportAsync(url, names, id, count, json: false, cancellationToken));
                        return ExitCodes.Success;
                    }));
            }

            var url = connection.Read(parseResult);
            return await RuntimeErrors.RunAsync(url, Console.Error, async () =>
            {
                if (parseResult.GetValue(waitFor) is { } goal)
                {
                    await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                    return await StatusWait.RunAsync(session, names, id, goal, TimeSpan.FromSeconds(parseResult.GetValue(timeout)), json, null, cancellationToken);
                }

                Console.Out.Write(await ReportAsync(url, names, id, count, json, cancellationToken));
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary>The status document of one database: its deployments (one, or the most recent), their steps and ghost copies, as text or JSON.</summary>
    private static async Task<string> ReportAsync(ConnectionUrl url, StateTableNames names, string? id, int limit, bool json, CancellationToken cancellationToken)
    {
        await using var session = await DatabaseSessions.OpenAsync(url, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
        var store = new DeploymentStateStore(session, names);
        var records = !await store.ExistsAsync(cancellationToken)
            ? Array.Empty<DeploymentRecord>()
            : id is not null
                ? (await store.GetAsync(id, cancellationToken) is { } one ? new[] { one } : throw new UsageException($"--deployment: no deployment '{id}' in {session.DisplayName}; run 'dotnet schema status' to list them"))
                : (await store.ListAsync(limit, cancellationToken)).ToArray();
        var ghostStore = new GhostCopyStore(session, names);
        var copies = (await ghostStore.ListAsync(null, cancellationToken)).ToLookup(c => c.DeploymentId);
        var windows = await ghostStore.ExistsAsync(cancellationToken) ? await RevertWindows.ListAsync(session, names, null, cancellationToken) : Array.Empty<RevertWindowStatus>();
        var slots = await StreamLeftovers.ListAsync(session, names, cancellationToken);
        return json ? Json(records, copies, windows, slots) : Text(records, session.DatabaseName, copies, windows) + SlotsText(slots);
    }

    /// <summary>
    /// <c>status --targets --format json</c>: <c>{"shards": [{"name", "target", "deployments": [...]}], "deployments": [...]}</c>, each
    /// shard's deployments as a one-database status has them (a shard that cannot be read has <c>"error"</c> instead, and the exit
    /// code says so); then, per deployment with ghost copies, which shards swapped, which not, and which could not be told.
    /// </summary>
    private static async Task<int> ShardsJsonAsync(IReadOnlyList<ShardTarget> shards, StateTableNames names, string? id, int limit, CancellationToken cancellationToken)
    {
        var json = new JsonWriter();
        json.StartObject().Name("shards").StartArray();
        var worst = ExitCodes.Success;
        var swaps = new List<(string Shard, JsonArray? Deployments)>();
        foreach (var shard in shards)
        {
            string? document = null;
            var error = new ErrorCapture(Console.Error);
            var code = await RuntimeErrors.RunAsync(shard.Connection, error, async () =>
            {
                document = await ReportAsync(shard.Connection, names, id, limit, json: true, cancellationToken);
                return ExitCodes.Success;
            });
            worst = Math.Max(worst, code);
            json.StartObject().Name("name").String(shard.Name).Name("target").String(shard.Connection.ToString());
            var deployments = document is null ? null : (JsonArray)((JsonObject)JsonParser.Parse(document))["deployments"]!;
            swaps.Add((shard.Name, deployments));
            if (deployments is not null)
            {
                json.Name("deployments").Value(deployments);
            }
            else
            {
                json.Name("error").String(error.LastError);
            }

            json.EndObject();
        }

        json.EndArray().Name("deployments").StartArray();
        foreach (var (deploymentId, swapped) in SwapsByDeployment(swaps))
        {
            json.StartObject().Name("id").String(deploymentId);
            foreach (var (name, value) in new[] { ("swappedShards", (bool?)true), ("notSwappedShards", false), ("unknownShards", null) })
            {
                json.Name(name).StartArray();
                foreach (var shard in swapped.Where(s => s.Swapped == value))
                {
                    json.String(shard.Shard);
                }

                json.EndArray();
            }

            json.EndObject();
        }

        Console.Out.Write(json.EndArray().EndObject() + "\n");
        return worst;
    }

    /// <summary>
    /// Per deployment that has ghost copies on some shard, in the order first seen: each shard swapped (true), not (false), or
    /// unknown (null: the shard could not be read, or does not list the deployment).
    /// </summary>
    private static IEnumerable<(string Id, IReadOnlyList<(string Shard, bool? Swapped)> Shards)> SwapsByDeployment(IReadOnlyList<(string Shard, JsonArray? Deployments)> shards)
    {
        var ids = shards.SelectMany(s => s.Deployments?.Items ?? new List<JsonNode>()).OfType<JsonObject>()
            .Where(d => d["swapped"] is JsonBool or JsonString).Select(d => d.GetString("id")!).Distinct(StringComparer.Ordinal).ToList();
        foreach (var deploymentId in ids)
        {
            yield return (deploymentId, shards.Select(s => (s.Shard, ShardSwapped(s.Deployments?.Items.OfType<JsonObject>().FirstOrDefault(d => d.GetString("id") == deploymentId)))).ToList());
        }
    }

    /// <summary>One shard's <c>swapped</c>: true, false (also while copies are still to come, and when only some tables swapped), null when the shard does not list the deployment.</summary>
    private static bool? ShardSwapped(JsonObject? deployment) => deployment?["swapped"] switch
    {
        JsonBool swapped => swapped.Value,
        JsonString => false,
        _ => null,
    };

    /// <summary><c>status --targets --wait-for</c>: every shard must reach the goal (one JSON line per shard with --format json); the timeout is shared.</summary>
    private static async Task<int> WaitForShardsAsync(IReadOnlyList<ShardTarget> shards, StateTableNames names, string? id, string goal, TimeSpan timeout, bool json, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var worst = ExitCodes.Success;
        foreach (var shard in shards)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            worst = Math.Max(worst, await RuntimeErrors.RunAsync(shard.Connection, Console.Error, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(shard.Connection, DatabaseSessions.DefaultCommandTimeout, cancellationToken);
                return await StatusWait.RunAsync(session, names, id, goal, left > TimeSpan.Zero ? left : TimeSpan.Zero, json, shard.Name, cancellationToken);
            }));
        }

        return worst;
    }

    private static string Text(DeploymentRecord[] records, string database, ILookup<string, GhostCopyRecord> copies, System.Collections.Generic.IReadOnlyList<RevertWindowStatus> windows)
    {
        if (records.Length == 0)
        {
            return $"no deployments recorded in {database}\n";
        }

        var text = new StringBuilder();
        foreach (var record in records)
        {
            var done = record.Steps.Count(s => StepStatus.IsDone(s.Status));
            text.Append($"deployment {record.DeploymentId}  {record.Status}  {done}/{record.StepCount} step(s)  by {record.StartedBy} on {record.Host}  started {Time(record.StartedAt)}");
            text.Append(record.FinishedAt is { } finished ? $"  finished {Time(finished)}\n" : "\n");
            text.Append($"  plan {record.PlanFingerprint}\n");
            if (DeploymentSwap.Of(record, copies[record.DeploymentId].ToList()) is { Rebuilt: > 0 } swap)
            {
                text.Append($"  tables swapped: {swap.Swapped} of {swap.Rebuilt}{swap.TextNote}\n");
            }

            foreach (var problem in record.Problems)
            {
                text.Append("  warning: control table value does not read back (edited by hand?): ").Append(problem).Append('\n');
            }
            foreach (var step in record.Steps)
            {
                text.Append($"  {step.StepId,3}. {step.Change} {step.ObjectName} [{step.Strategy}] {step.Status}");
                if (step.DurationMs is { } ms)
                {
                    text.Append($" {ms / 1000.0:0.00}s");
                }

                if (step.Attempts > 1)
                {
                    text.Append($" ({step.Attempts} attempts)");
                }

                text.Append('\n');
                foreach (var copy in copies[record.DeploymentId].Where(c => c.StepId == step.StepId))
                {
                    text.Append($"       ghost copy of {copy.Table}: {copy.State}, {copy.RowsCopied}/~{copy.RowsEstimated} rows copied, {copy.EventsApplied} changes applied");
                    text.Append(copy.CutoverAttempts > 0 ? $", {copy.CutoverAttempts} cutover attempt(s)" : string.Empty);
                    text.Append(copy.HeartbeatAt is { } beat ? $", last checkpoint {Time(beat)} by {copy.Owner}" : string.Empty);
                    text.Append(copy.Paused ? ", PAUSED" : string.Empty).Append(copy.ThrottleReason is { } why ? $"; waiting: {why}" : string.Empty);
                    text.Append(Eta(copy, step) is { } eta && copy.State == "copying" ? $", ETA {eta:0}s" : string.Empty).Append(copy.LagMs > 0 ? $", lag {copy.LagMs / 1000.0:0.0}s" : string.Empty).Append('\n');
                    if (copy.ReadyAt is { } ready)
                    {
                        text.Append($"       gate {copy.Gate}: ready since {Time(ready)}");
                        text.Append(copy.ApprovedBy is { } by ? $", cutover approved by {by} at {Time(copy.ApprovedAt!.Value)}" : copy.Gate == "manual" ? $", waiting for 'dotnet schema cutover --deployment {record.DeploymentId}'" : string.Empty).Append('\n');
                    }
                    else if (copy.ApprovedBy is { } early)
                    {
                        text.Append($"       cutover approved in advance by {early} at {Time(copy.ApprovedAt!.Value)}\n");
                    }

                    if (copy.CancelRequestedBy is { } cancelledBy)
                    {
                        text.Append($"       cancel requested by {cancelledBy} at {Time(copy.CancelRequestedAt!.Value)}\n");
                    }
                    text.Append(RevertWindowText(windows, copy));
                }

                if (step.Error is { } error)
                {
                    text.Append("       ").Append(error.ReplaceLineEndings("\n       ")).Append('\n');
                }
            }

            if (record.Error is { } failure && !record.Steps.Any(s => s.Error == failure))
            {
                text.Append("  error: ").Append(failure).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Replication slots the ghost copies keep, with the WAL they retain and whose they are.</summary>
    private static string SlotsText(System.Collections.Generic.IReadOnlyList<StreamLeftover> slots) => string.Concat(slots.Select(slot =>
        $"replication slot {slot.Name} ({(slot.Active ? "active" : "inactive")}): retains {Bytes(slot.RetainedBytes)} of WAL; "
        + (slot.DeploymentId is { } owner ? $"deployment {owner}\n" : $"orphaned (no unfinished deployment uses it): 'dotnet schema cancel --slot {slot.Name}' drops it\n")));

    private static string Bytes(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.0} GB" : bytes >= 1L << 20 ? $"{bytes / (double)(1L << 20):0.0} MB" : $"{bytes / 1024.0:0.0} kB";

    private static string Json(DeploymentRecord[] records, ILookup<string, GhostCopyRecord> copies, System.Collections.Generic.IReadOnlyList<RevertWindowStatus> windows, System.Collections.Generic.IReadOnlyList<StreamLeftover> slots)
    {
        var json = new JsonWriter();
        json.StartObject().Name("deployments").StartArray();
        foreach (var record in records)
        {
            json.StartObject()
                .Name("id").String(record.DeploymentId).Name("status").String(record.Status)
                .Name("planFingerprint").String(record.PlanFingerprint).Name("sourceFingerprint").String(record.SourceFingerprint).Name("targetFingerprint").String(record.TargetFingerprint)
                .Name("dialect").String(record.Dialect).Name("startedBy").String(record.StartedBy).Name("host").String(record.Host)
                .Name("startedAt").String(IsoTime(record.StartedAt)).Name("finishedAt").String(record.FinishedAt is { } f ? IsoTime(f) : null)
                .Name("error").String(record.Error)
                .Name("gateState").String(StatusWait.GateState(record, copies[record.DeploymentId].ToList()))
                .Name("swapped");
            var swap = DeploymentSwap.Of(record, copies[record.DeploymentId].ToList());
            _ = swap.Value switch
            {
                bool swapped => json.Bool(swapped),
                string word => json.String(word),
                _ => json.Null(),
            };
            json.Name("tablesRebuilt").Number(swap.Rebuilt).Name("tablesSwapped").Number(swap.Swapped);

            json.Name("steps").StartArray();
            foreach (var step in record.Steps)
            {
                json.StartObject().Name("id").Number(step.StepId).Name("object").String(step.ObjectName).Name("change").String(step.Change)
                    .Name("strategy").String(step.Strategy).Name("status").String(step.Status).Name("attempts").Number(step.Attempts)
                    .Name("statementsDone").Number(step.StatementsDone)
                    .Name("startedAt").String(step.StartedAt is { } s ? IsoTime(s) : null).Name("finishedAt").String(step.FinishedAt is { } e ? IsoTime(e) : null);
                json.Name("durationMs");
                if (step.DurationMs is { } ms)
                {
                    json.Number(ms);
                }
                else
                {
                    json.Null();
                }

                json.Name("error").String(step.Error).Name("ghostCopies").StartArray();
                foreach (var copy in copies[record.DeploymentId].Where(c => c.StepId == step.StepId))
                {
                    json.StartObject().Name("table").String(copy.Table).Name("state").String(copy.State).Name("rowsCopied").Number(copy.RowsCopied)
                        .Name("rowsEstimated").Number(copy.RowsEstimated).Name("changesApplied").Number(copy.EventsApplied).Name("cutoverAttempts").Number(copy.CutoverAttempts)
                        .Name("paused").Bool(copy.Paused).Name("throttleReason").String(copy.ThrottleReason).Name("streamPosition").String(copy.StreamPosition)
                        .Name("owner").String(copy.Owner).Name("lastCheckpoint").String(copy.HeartbeatAt is { } beat ? IsoTime(beat) : null)
                        .Name("shadow").String(copy.Shadow).Name("oldTable").String(copy.Old).Name("error").String(copy.Error)
                        .Name("lagMs").Number(copy.LagMs).Name("gate").String(copy.Gate).Name("readySince").String(copy.ReadyAt is { } ready ? IsoTime(ready) : null)
                        .Name("approvedBy").String(copy.ApprovedBy).Name("approvedAt").String(copy.ApprovedAt is { } approved ? IsoTime(approved) : null)
                        .Name("cancelRequestedBy").String(copy.CancelRequestedBy).Name("cancelRequestedAt").String(copy.CancelRequestedAt is { } cancel ? IsoTime(cancel) : null)
                        .Name("etaSeconds");
                    if (Eta(copy, step) is { } eta)
                    {
                        json.Number((long)eta);
                    }
                    else
                    {
                        json.Null();
                    }

                    RevertWindowJson(json, windows, copy);
                    json.EndObject();
                }

                json.EndArray().EndObject();
            }

            json.EndArray().EndObject();
        }

        json.EndArray().Name("replicationSlots").StartArray();
        foreach (var slot in slots)
        {
            json.StartObject().Name("name").String(slot.Name).Name("active").Bool(slot.Active).Name("retainedBytes").Number(slot.RetainedBytes)
                .Name("deployment").String(slot.DeploymentId).Name("orphaned").Bool(slot.DeploymentId is null).EndObject();
        }

        json.EndArray().EndObject();
        return json + "\n";
    }

    /// <summary>Seconds left in the copy at the rate since the step started, null when unknown.</summary>
    private static double? Eta(GhostCopyRecord copy, StepRecord step)
    {
        if (copy.CopyComplete)
        {
            return 0;
        }

        if (step.StartedAt is not { } started || copy.HeartbeatAt is not { } beat || copy.RowsCopied <= 0 || beat <= started)
        {
            return null;
        }

        var rate = copy.RowsCopied / (beat - started).TotalSeconds;
        return Math.Max(0, copy.RowsEstimated - copy.RowsCopied) / rate;
    }

    /// <summary>The open revert window of a copy: time left and the columns a revert drops.</summary>
    private static string RevertWindowText(System.Collections.Generic.IReadOnlyList<RevertWindowStatus> windows, GhostCopyRecord copy)
    {
        if (windows.FirstOrDefault(w => w.DeploymentId == copy.DeploymentId && w.StepId == copy.StepId && w.Table == copy.Table) is not { } window)
        {
            return string.Empty;
        }

        var left = window.Left(DateTimeOffset.UtcNow);
        var text = left > TimeSpan.Zero
            ? $"       revert window: {(int)left.TotalMinutes}m {left.Seconds:00}s left (until {Time(window.Until)}); 'dotnet schema revert --deployment {copy.DeploymentId}' swaps back"
            : $"       revert window: ended {Time(window.Until)}; 'dotnet schema complete --deployment {copy.DeploymentId}' drops the old table";
        return text + (window.DroppedColumns.Count > 0 ? $"; a revert drops the column(s) {string.Join(", ", window.DroppedColumns)}" : string.Empty) + "\n";
    }

    private static void RevertWindowJson(JsonWriter json, System.Collections.Generic.IReadOnlyList<RevertWindowStatus> windows, GhostCopyRecord copy)
    {
        json.Name("revertWindow");
        if (windows.FirstOrDefault(w => w.DeploymentId == copy.DeploymentId && w.StepId == copy.StepId && w.Table == copy.Table) is not { } window)
        {
            json.Null();
            return;
        }

        json.StartObject().Name("until").String(IsoTime(window.Until)).Name("secondsLeft").Number((long)window.Left(DateTimeOffset.UtcNow).TotalSeconds).Name("droppedColumns").StartArray();
        foreach (var column in window.DroppedColumns)
        {
            json.String(column);
        }

        json.EndArray().EndObject();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 in UTC, as JSON readers expect: 2026-11-30T00:36:25Z.</summary>
    internal static string IsoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
