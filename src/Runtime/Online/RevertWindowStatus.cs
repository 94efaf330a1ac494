using System;
using System.Collections.Generic;

namespace SchemaBuild.Runtime.Online;

/// <summary>An open revert window as <c>status</c> shows it: when it ends and which columns a revert would drop.</summary>
public sealed record RevertWindowStatus(string DeploymentId, int StepId, string Table, DateTimeOffset Until, IReadOnlyList<string> DroppedColumns)
{
    /// <summary>Time left at <paramref name="now"/> (zero once it ended).</summary>
    public TimeSpan Left(DateTimeOffset now) => Until > now ? Until - now : TimeSpan.Zero;
}
