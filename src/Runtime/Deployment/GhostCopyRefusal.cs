using SchemaBuild.Core.Planning;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>The message for a ghost-copy step on an engine this version cannot copy online, refused rather than run as a blocking ALTER.</summary>
public static class GhostCopyRefusal
{
    public static string Message(PlanStep step) =>
        $"step {step.Id} ({step.Change} {step.ObjectName}) needs a ghost copy (the table is rebuilt), which this version of SchemaBuild does not run online on this engine yet; "
        + "it is never run as a plain ALTER, which would block the table for the whole copy. Nothing was changed. "
        + "Split the change so it needs no copy (see the plan's SB4001 diagnostic), or apply plan.sql in a maintenance window.";
}
