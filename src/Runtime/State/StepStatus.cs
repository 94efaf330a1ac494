using System.Linq;

namespace SchemaBuild.Runtime.State;

/// <summary>The status words stored in the control tables.</summary>
public static class StepStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>Stopped through the caller's cancellation token; resumed by the next deploy like a failure.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Found already applied when resuming (the live schema showed the step's result).</summary>
    public const string AlreadyApplied = "already-applied";

    /// <summary>Given up by an operator (<c>dotnet schema abandon</c>): never resumed; the next deploy starts from the live schema.</summary>
    public const string Abandoned = "abandoned";

    public static bool IsDone(string status) => status is Succeeded or AlreadyApplied;

    /// <summary>A status SchemaBuild writes (the closed set of <see cref="StatusTransitions"/>).</summary>
    public static bool IsKnown(string status) => StatusTransitions.StepStatuses.Contains(status) || StatusTransitions.DeploymentStatuses.Contains(status);
}
