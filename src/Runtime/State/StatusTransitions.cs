using System;
using System.Collections.Generic;
using System.Linq;

namespace SchemaBuild.Runtime.State;

/// <summary>
/// The statuses a deployment and a step may have, and from which status each may be reached. The
/// store updates a status only from one of its allowed predecessors (compare-and-set in the
/// UPDATE's WHERE), so two processes never both move the same row, and a row edited by hand to an
/// unknown word is reported instead of overwritten.
/// </summary>
public static class StatusTransitions
{
    private static readonly Dictionary<string, string[]> Deployment = new(StringComparer.Ordinal)
    {
        [StepStatus.Running] = new[] { StepStatus.Running, StepStatus.Failed, StepStatus.Cancelled },
        [StepStatus.Succeeded] = new[] { StepStatus.Running, StepStatus.Failed, StepStatus.Cancelled },
        [StepStatus.Failed] = new[] { StepStatus.Running, StepStatus.Failed },
        [StepStatus.Cancelled] = new[] { StepStatus.Running },
        [StepStatus.Abandoned] = new[] { StepStatus.Running, StepStatus.Failed, StepStatus.Cancelled },
    };

    private static readonly Dictionary<string, string[]> Step = new(StringComparer.Ordinal)
    {
        [StepStatus.Pending] = Array.Empty<string>(),
        [StepStatus.Running] = new[] { StepStatus.Pending, StepStatus.Running, StepStatus.Failed, StepStatus.Cancelled },
        [StepStatus.Succeeded] = new[] { StepStatus.Running },
        [StepStatus.Failed] = new[] { StepStatus.Running, StepStatus.Failed },
        [StepStatus.Cancelled] = new[] { StepStatus.Running },
        [StepStatus.AlreadyApplied] = new[] { StepStatus.Pending, StepStatus.Running, StepStatus.Failed, StepStatus.Cancelled },
        [StepStatus.Abandoned] = new[] { StepStatus.Pending, StepStatus.Running, StepStatus.Failed, StepStatus.Cancelled },
    };

    /// <summary>Every status a deployment row may hold.</summary>
    public static IReadOnlyCollection<string> DeploymentStatuses => Deployment.Keys;

    /// <summary>Every status a step row may hold.</summary>
    public static IReadOnlyCollection<string> StepStatuses => Step.Keys;

    /// <summary>The statuses a deployment may move to <paramref name="status"/> from.</summary>
    public static IReadOnlyList<string> DeploymentFrom(string status) =>
        Deployment.TryGetValue(status, out var from) ? from : throw new ArgumentException($"'{status}' is not a deployment status; the statuses are {string.Join(", ", Deployment.Keys)}", nameof(status));

    /// <summary>The statuses a step may move to <paramref name="status"/> from.</summary>
    public static IReadOnlyList<string> StepFrom(string status) =>
        Step.TryGetValue(status, out var from) ? from : throw new ArgumentException($"'{status}' is not a step status; the statuses are {string.Join(", ", Step.Keys)}", nameof(status));

    public static bool CanMoveDeployment(string from, string to) => DeploymentFrom(to).Contains(from, StringComparer.Ordinal);

    public static bool CanMoveStep(string from, string to) => StepFrom(to).Contains(from, StringComparer.Ordinal);
}
