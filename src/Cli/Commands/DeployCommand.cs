using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Cli.Output;
using SchemaBuild.Cli.Progress;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Engines;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;
using SchemaBuild.Runtime.State;
using Spectre.Console;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>dotnet schema deploy</c>: apply a plan (plan.json, or schema files planned against the live database).</summary>
public static class DeployCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOption();
        var planFile = new Option<FileInfo?>("--plan") { Description = "plan.json written by the build or by 'dotnet schema plan --format json'." };
        var input = new SchemaInputOptions(withBaseline: false);
        var baseline = new Option<string?>("--baseline") { Description = "With --schema: plan from this baseline instead of the live schema." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print exactly what would run, change nothing." };
        var allowReplan = new Option<bool>("--allow-replan") { Description = "When the live schema is neither the plan's source nor its target, plan against the live schema instead of stopping with exit code 3." };
        var gate = new Option<string>("--gate") { Description = "auto or manual cutover of ghost copies: manual holds them in sync at the gate until 'dotnet schema cutover --deployment ID' approves.", DefaultValueFactory = _ => "auto" };
        gate.AcceptOnlyFromAmong("auto", "manual");
        var lockWait = new Option<double>("--lock-wait") { Description = "Seconds a statement may wait for its lock before giving up and retrying (lock_wait_timeout / lock_timeout).", DefaultValueFactory = _ => 2 };
        var retries = new Option<int>("--retries") { Description = "Attempts per statement when the lock wait runs out.", DefaultValueFactory = _ => 6 };
        var statementTimeout = new Option<double>("--statement-timeout") { Description = "Seconds one statement may run.", DefaultValueFactory = _ => 3600 };
        var longTransactionWait = new Option<double>("--long-transaction-wait") { Description = "Seconds to wait for long transactions on a table before its step runs anyway.", DefaultValueFactory = _ => 60 };
        var stateTables = new StateTableOptions();
        var ghost = new GhostCopyDeployOptions();
        var detach = new Option<bool>("--detach") { Description = "Run the deploy as a background process and return (exit 0) once the deployment is ready at the gate or done; the process keeps the change streams and acts on cutover/cancel. Its output goes to --log." };
        var log = new Option<string?>("--log") { Description = "With --detach: the background deploy's log file (appended). Default: schemabuild-deploy-<UTC time>.log in the current folder." };
        var format = new Option<string>("--format") { Description = "text or json (the result; progress goes to standard error).", DefaultValueFactory = _ => "text" };
        var targets = new TargetsOption();
        var sharding = new ShardDeployCommandOptions();
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("deploy", "Apply a plan to a live database under short lock waits, recording progress in control tables so it can resume.");
        foreach (var option in new Option[] { planFile, baseline, connection.Connection, dryRun, allowReplan, gate, lockWait, retries, statementTimeout, longTransactionWait, detach, log, format })
        {
            command.Options.Add(option);
        }

        targets.AddTo(command);
        sharding.AddTo(command);

        stateTables.AddTo(command);
        ghost.AddTo(command);
        input.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var plan = parseResult.GetValue(planFile);
            if (plan is not null && (parseResult.GetValue(input.Schema) is not null || parseResult.GetValue(input.Project) is not null))
            {
                throw new UsageException("deploy takes --plan plan.json or the schema files (--schema DIR or --project), not both");
            }

            if (parseResult.GetValue(lockWait) <= 0 || parseResult.GetValue(retries) < 1 || parseResult.GetValue(statementTimeout) <= 0)
            {
                throw new UsageException("--lock-wait and --statement-timeout must be positive and --retries at least 1");
            }

            var shardOptions = sharding.Read(parseResult);
            var options = new DeployOptions
            {
                DryRun = parseResult.GetValue(dryRun),
                AllowReplan = parseResult.GetValue(allowReplan),
                LockWait = LockWaitPolicy.Default with
                {
                    LockWait = TimeSpan.FromSeconds(parseResult.GetValue(lockWait)),
                    MaxAttempts = parseResult.GetValue(retries),
                    StatementTimeout = TimeSpan.FromSeconds(parseResult.GetValue(statementTimeout)),
                },
                LongTransactionWait = TimeSpan.FromSeconds(parseResult.GetValue(longTransactionWait)),
                StateTables = stateTables.Read(parseResult),
                GhostCopy = ghost.Read(parseResult) with { ManualGate = parseResult.GetValue(gate) == "manual" },
            };
            var json = parseResult.GetValue(format) == "json";
            // One database, or the shards (--targets, --connection repeated): then the plan compiled from schema files is planned against the first shard.
            var shards = targets.Read(parseResult, connection);
            var url = shards?[0].Connection ?? connection.Read(parseResult);
            if (parseResult.GetValue(detach) && shards is not null)
            {
                throw new UsageException("--detach works on one database; run a sharded deploy (--targets) where it can keep running, e.g. as a service (docs/deploy.md, \"Shards\")");
            }

            if (parseResult.GetValue(detach))
            {
                if (options.DryRun)
                {
                    throw new UsageException("--detach runs the deploy in the background; a --dry-run has nothing to keep running: drop one of them");
                }

                var background = new ErrorCapture(Console.Error);
                return await RuntimeErrors.RunAsync(url, background, () => DetachedDeploy.RunAsync(url, connection.Text(parseResult)!, parseResult.GetValue(log), options.StateTables, json, cancellationToken));
            }

            if (parseResult.GetValue(log) is not null)
            {
                throw new UsageException("--log names the log of a --detach'ed deploy; without --detach the progress goes to standard error");
            }

            // A broken plan file is the user's input: reported before anything connects.
            var fromFile = plan is null ? null : await ReadPlanAsync(plan, cancellationToken);
            // With --format json a failure still prints a JSON document: the reason and the diagnostics.
            var errors = new ErrorCapture(Console.Error);
            var diagnostics = (IReadOnlyList<Diagnostic>)Array.Empty<Diagnostic>();
            var wroteResult = false;
            var exitCode = await RuntimeErrors.RunAsync(url, errors, async () =>
            {
                await using var session = await DatabaseSessions.OpenAsync(url, options.LockWait.StatementTimeout + TimeSpan.FromMinutes(1), cancellationToken);
                Plan toDeploy;
                if (fromFile is not null)
                {
                    if (fromFile.Engine.Dialect != session.Dialect)
                    {
                        throw new UsageException(
                            $"--plan {plan!.FullName}: the plan is for {DialectNames.Of(fromFile.Engine.Dialect)} but {session.DisplayName} is {DialectNames.Of(session.Dialect)} ({session.ServerVersion}); "
                            + $"compile the plan with --dialect {DialectNames.Of(session.Dialect)}");
                    }

                    toDeploy = fromFile;
                }
                else
                {
                    var compilation = await LivePlan.CompileAsync(session, input.Resolve(parseResult, session.Dialect).Request, parseResult.GetValue(baseline), options.StateTables, cancellationToken);
                    DiagnosticPrinter.Print(compilation.Diagnostics, Console.Error);
                    diagnostics = compilation.Diagnostics;
                    if (compilation.Plan is null || compilation.HasErrors)
                    {
                        errors.WriteLine("error: the plan is unsafe; nothing was deployed");
                        return ExitCodes.Unsafe;
                    }

                    toDeploy = compilation.Plan;
                }

                if (shards is not null)
                {
                    await session.DisposeAsync();
                    var sharded = await ShardedDeploy.RunAsync(toDeploy, shards, options, shardOptions, cancellationToken);
                    Console.Out.Write(json ? ShardedDeploy.Json(sharded) : ShardedDeploy.Text(sharded));
                    wroteResult = true;
                    return ExitCodes.Success;
                }

                Console.Error.WriteLine($"target: {session.DisplayName} ({session.ServerVersion})");
                // A lost connection is recorded as the step's failure through a fresh one.
                var result = await RunAsync(toDeploy, session, options with { Reconnect = ct => DatabaseSessions.OpenAsync(url, options.LockWait.StatementTimeout + TimeSpan.FromMinutes(1), ct) }, cancellationToken);
                Console.Out.Write(json ? Json(result, session.DisplayName) : Text(result, session.DatabaseName, session.Writer));
                wroteResult = true;
                return ExitCodes.Success;
            });
            if (json && !wroteResult)
            {
                Console.Out.Write(DiagnosticFormats.Document(diagnostics, errors.LastError, exitCode));
            }

            return exitCode;
        });
        return command;
    }

    /// <summary>Reads plan.json; a missing, unreadable or malformed file is a usage error that says which and what to do.</summary>
    private static async Task<Plan> ReadPlanAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new UsageException($"--plan: file '{file.FullName}' does not exist; write it with 'dotnet schema plan --format json --out plan.json' or take it from the build output (schema/plan.json)");
        }

        try
        {
            return await Task.Run(() => PlanFile.Read(file.FullName), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--plan: cannot read '{file.FullName}': {ex.Message}. Check that the file is readable by this user");
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--plan {file.FullName}: {ex.Message}");
        }
    }

    private static async Task<DeploymentResult> RunAsync(Plan plan, IDatabaseSession session, DeployOptions options, CancellationToken cancellationToken)
    {
        var deployer = new Deployer();
        if (options.DryRun || !TerminalDetection.IsInteractive())
        {
            return await deployer.DeployAsync(plan, session, options with { Progress = new PlainProgress(Console.Error) }, cancellationToken);
        }

        var live = new LiveProgress();
        DeploymentResult? result = null;
        await AnsiConsole.Live(live.Table).AutoClear(false).StartAsync(async context =>
        {
            live.Attach(context);
            result = await deployer.DeployAsync(plan, session, options with { Progress = live }, cancellationToken);
        });
        return result!;
    }

    /// <summary>The result as text; a dry run prints a script, whose comments (names, ids from the control tables) go through the dialect's comment writer.</summary>
    internal static string Text(DeploymentResult result, string database, IDdlWriter writer)
    {
        var text = new StringBuilder();
        switch (result.Outcome)
        {
            case DeploymentOutcome.UpToDate:
                text.Append($"{database} already has the target schema: nothing to do.\n");
                break;
            case DeploymentOutcome.DryRun:
                text.Append(writer.Comment($"dry run on {database}: nothing was executed")).Append('\n');
                if (result.Replanned)
                {
                    text.Append(writer.Comment("the live schema drifted: this plan was computed against it (--allow-replan)")).Append('\n');
                }

                if (result.Resumed)
                {
                    text.Append(writer.Comment($"resumes deployment {result.DeploymentId} at step {result.FirstStep}")).Append('\n');
                }

                foreach (var setting in result.Settings)
                {
                    text.Append(writer.Comment(setting)).Append('\n');
                }

                var last = 0;
                foreach (var statement in result.Statements)
                {
                    if (statement.StepId != last)
                    {
                        var step = result.Plan.Steps.First(s => s.Id == statement.StepId);
                        text.Append('\n').Append(PlanSql.StepComment(writer, step)).Append('\n');
                        last = statement.StepId;
                    }

                    text.Append(statement.Sql).Append(";\n");
                }

                if (result.Statements.Count == 0)
                {
                    text.Append(writer.Comment("nothing to run")).Append('\n');
                }

                foreach (var copy in result.GhostCopies)
                {
                    text.Append('\n').Append(writer.Comment($"ghost copy of {copy.Table} (online; the ALTER above is not run as such): ~{copy.EstimatedRows} rows copied along ({string.Join(", ", copy.KeyColumns)}) into {copy.Shadow}, built by:")).Append('\n');
                    foreach (var ddl in copy.ShadowDdl)
                    {
                        text.Append(writer.Comment("  " + ddl)).Append('\n');
                    }

                    foreach (var note in copy.Notes)
                    {
                        text.Append(writer.Comment(note)).Append('\n');
                    }
                }

                break;
            default:
                text.Append($"deployment {result.DeploymentId}: {result.Statements.Count} statement(s) applied to {database}{(result.Resumed ? $" (resumed at step {result.FirstStep})" : string.Empty)}{(result.Replanned ? " (re-planned against the live schema)" : string.Empty)}.\n");
                break;
        }

        return text.ToString();
    }

    /// <summary>The outcome as the JSON result names it.</summary>
    internal static string OutcomeName(DeploymentOutcome outcome) => outcome switch { DeploymentOutcome.UpToDate => "up-to-date", DeploymentOutcome.DryRun => "dry-run", _ => "deployed" };

    private static string Json(DeploymentResult result, string target)
    {
        var json = new JsonWriter();
        json.StartObject()
            .Name("outcome").String(OutcomeName(result.Outcome))
            .Name("deploymentId").String(result.DeploymentId)
            .Name("target").String(target)
            .Name("replanned").Bool(result.Replanned)
            .Name("resumed").Bool(result.Resumed)
            .Name("firstStep").Number(result.FirstStep)
            .Name("statements").StartArray();
        foreach (var statement in result.Statements)
        {
            json.StartObject().Name("step").Number(statement.StepId).Name("strategy").String(statement.Strategy).Name("sql").String(statement.Sql).EndObject();
        }

        json.EndArray().Name("ghostCopies").StartArray();
        foreach (var copy in result.GhostCopies)
        {
            json.StartObject().Name("table").String(copy.Table).Name("shadow").String(copy.Shadow).Name("estimatedRows").Number(copy.EstimatedRows).Name("key").StartArray();
            foreach (var column in copy.KeyColumns)
            {
                json.String(column);
            }

            json.EndArray().Name("shadowDdl").StartArray();
            foreach (var ddl in copy.ShadowDdl)
            {
                json.String(ddl);
            }

            json.EndArray().EndObject();
        }

        json.EndArray().Name("cutoverLockHeldMs").Number((long)result.CutoverLockHeld.TotalMilliseconds).EndObject();
        return json + "\n";
    }
}
