using System.Collections.Generic;

namespace SchemaBuild.Runtime.State;

/// <summary>
/// The control tables' layouts, oldest first. Version 1 is what SchemaBuild 0.1 created; each later
/// version is an upgrade that runs in place, in order, on a database deployed by an older
/// SchemaBuild (its rows keep working: resumes continue where they stopped). Add a version at the
/// end; never change a published one.
/// </summary>
internal static class ControlTableUpgrades
{
    /// <summary>The newest layout: what this SchemaBuild reads and writes.</summary>
    public const int Current = 6;

    /// <summary>The first layout with the deployed-model table: older tables have no deployed model to read.</summary>
    public const int DeployedModel = 6;

    /// <summary>Version 1, exactly as SchemaBuild 0.1 created it.</summary>
    public static IReadOnlyList<string> Version1(string deployments, string steps, string longText) => new[]
    {
        $"CREATE TABLE IF NOT EXISTS {deployments} (deployment_id varchar(64) NOT NULL PRIMARY KEY, plan_fingerprint varchar(100) NOT NULL, "
        + "source_fingerprint varchar(100) NOT NULL, target_fingerprint varchar(100) NOT NULL, dialect varchar(20) NOT NULL, status varchar(20) NOT NULL, "
        + "step_count integer NOT NULL, started_by varchar(200) NOT NULL, started_host varchar(200) NOT NULL, started_at varchar(30) NOT NULL, "
        + $"updated_at varchar(30) NULL, finished_at varchar(30) NULL, error {longText} NULL, source_model {longText} NULL)",
        $"CREATE TABLE IF NOT EXISTS {steps} (deployment_id varchar(64) NOT NULL, step_id integer NOT NULL, object_name varchar(400) NOT NULL, "
        + "change_kind varchar(100) NOT NULL, strategy varchar(40) NOT NULL, status varchar(20) NOT NULL, attempts integer NOT NULL, statements_done integer NOT NULL, "
        + $"started_at varchar(30) NULL, finished_at varchar(30) NULL, duration_ms bigint NULL, error {longText} NULL, PRIMARY KEY (deployment_id, step_id))",
    };

    /// <summary>
    /// What takes the layout from <c>version - 1</c> to <paramref name="version"/>: columns to add,
    /// each skipped when present, so an upgrade interrupted between two statements (MySQL DDL
    /// commits one by one) completes on the next run.
    /// </summary>
    public static IReadOnlyList<AddColumn> To(int version) => version switch
    {
        // 2: which SchemaBuild started a deployment; a step's progress (JSON) for long-running steps such as the ghost copy.
        2 => new[]
        {
            new AddColumn(Table.Deployments, "schemabuild_version", "varchar(40)"),
            new AddColumn(Table.Steps, "progress", LongText),
        },
        // 3: the ghost-copy table (a new table, see NewTables).
        3 => System.Array.Empty<AddColumn>(),
        // 4: the manual gate and cancel (set from any process), "ready since", and the stream's lag for status.
        4 => new[]
        {
            new AddColumn(Table.GhostCopies, "gate", "varchar(10)"),
            new AddColumn(Table.GhostCopies, "ready_at", "varchar(30)"),
            new AddColumn(Table.GhostCopies, "approved_by", "varchar(200)"),
            new AddColumn(Table.GhostCopies, "approved_at", "varchar(30)"),
            new AddColumn(Table.GhostCopies, "cancel_requested_by", "varchar(200)"),
            new AddColumn(Table.GhostCopies, "cancel_requested_at", "varchar(30)"),
            new AddColumn(Table.GhostCopies, "lag_ms", "bigint"),
        },
        // 5: a ghost copy's revert window (JSON: end time, reverse column mapping and key, reverse stream).
        5 => new[] { new AddColumn(Table.GhostCopies, "revert_window", LongText) },
        // 6: the deployed-model table (a new table, see NewTables).
        DeployedModel => System.Array.Empty<AddColumn>(),
        _ => throw new System.ArgumentOutOfRangeException(nameof(version), version, "no such control-table version"),
    };

    /// <summary>Tables a version adds (<c>CREATE TABLE IF NOT EXISTS</c>, so an interrupted upgrade completes on the next run).</summary>
    public static IReadOnlyList<string> NewTables(int version, string ghostCopies, string deployedModel, string longText) => version switch
    {
        // 3: one row per ghost-copied table (deployment, step, table): state machine, checkpoint, counters, liveness, artifacts.
        3 => new[]
        {
            $"CREATE TABLE IF NOT EXISTS {ghostCopies} (deployment_id varchar(64) NOT NULL, step_id integer NOT NULL, table_name varchar(200) NOT NULL, "
            + "state varchar(20) NOT NULL, shadow_table varchar(64) NOT NULL, old_table varchar(64) NOT NULL, changelog_table varchar(64) NOT NULL, "
            + $"copy_key {longText} NULL, watermark {longText} NULL, copy_complete integer NOT NULL, stream_position varchar(400) NULL, "
            + "rows_copied bigint NOT NULL, rows_estimated bigint NOT NULL, events_applied bigint NOT NULL, chunk_rows integer NOT NULL, "
            + "owner varchar(200) NULL, heartbeat_at varchar(30) NULL, cutover_attempts integer NOT NULL, paused integer NOT NULL, "
            + $"throttle_reason varchar(400) NULL, artifacts {longText} NULL, error {longText} NULL, updated_at varchar(30) NULL, "
            + "PRIMARY KEY (deployment_id, step_id, table_name))",
        },
        // 6: the model the last deployment reached, with its annotations (deprecated, renamed-from) and source locations, so a
        // plan against the live database knows what the schema files said about it; one row, replaced at each deployment.
        DeployedModel => new[]
        {
            $"CREATE TABLE IF NOT EXISTS {deployedModel} (name varchar(40) NOT NULL PRIMARY KEY, deployment_id varchar(64) NULL, "
            + $"fingerprint varchar(100) NOT NULL, model {longText} NOT NULL, recorded_at varchar(30) NOT NULL)",
        },
        _ => System.Array.Empty<string>(),
    };

    /// <summary>Stands for the engine's long text type (longtext / text).</summary>
    public const string LongText = "{longtext}";

    public enum Table
    {
        Deployments,
        Steps,
        GhostCopies,
    }

    public sealed record AddColumn(Table Table, string Column, string Type);
}
