using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// Whether a deployment's tables serve the new definitions on one database (status <c>swapped</c>), decided from
/// the plan's ghost-copy steps recorded with the deployment, not from the copy records alone: a deployment with
/// two runs of copies has records only for the runs prepared so far, so the copies seen may all have swapped
/// while a later run has not started.
/// </summary>
internal sealed record DeploymentSwap(int Rebuilt, int Swapped, bool Ended)
{
    /// <summary>The JSON and text word for a deployment with copies still to come.</summary>
    public const string NotYet = "not yet";

    /// <summary>The JSON and text word for a deployment that ended with some of its tables swapped, not all (a later run cancelled).</summary>
    public const string Partly = "partly";

    private static readonly string GhostCopy = StrategyNames.Of(Strategy.GhostCopy);

    /// <summary>
    /// true: every table the deployment rebuilds swapped; <see cref="NotYet"/>: some still to copy or swap (a deploy
    /// resumes them); <see cref="Partly"/>: the deployment ended with only some swapped (an earlier run cut over, a later
    /// one was cancelled or abandoned: those tables serve the new definitions, the others the old ones); false: it ended
    /// with none swapped (cancelled, abandoned, reverted); null: the deployment rebuilds no table.
    /// </summary>
    public object? Value => Rebuilt == 0 ? null
        : Swapped == Rebuilt ? true
        : !Ended ? NotYet
        : Swapped == 0 ? false
        : Partly;

    /// <summary>The text status adds to <c>tables swapped: N of M</c>: why not all, when that is not the whole story.</summary>
    public string TextNote => Value switch
    {
        NotYet => " (not yet: copies still to come)",
        Partly => " (partly: the deployment ended; the other tables keep their old definitions)",
        _ => string.Empty,
    };

    public static DeploymentSwap Of(DeploymentRecord record, IReadOnlyCollection<GhostCopyRecord> copies)
    {
        var steps = record.Steps.Where(s => s.Strategy == GhostCopy).ToList();

        // A step found already applied on resume has no copy of its own: its table serves the new definition.
        var swapped = steps.Count(s => copies.Where(c => c.StepId == s.StepId).ToList() is var own && (own.Count > 0 ? DeploymentGate.CutOver(own) : StepStatus.IsDone(s.Status)));
        var ended = DeploymentGate.Reverted(copies) || DeploymentGate.Stopped(copies) || record.Status == StepStatus.Abandoned;
        return new DeploymentSwap(steps.Count, swapped, ended);
    }
}
