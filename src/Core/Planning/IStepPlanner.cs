using System.Collections.Generic;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// The engine-specific half of planning: turns ordered changes into steps with a strategy, SQL,
/// locks and rewrite flags, grouping where the engine allows, and reports the SB4xxx diagnostics
/// about the strategies it chose.
/// </summary>
public interface IStepPlanner
{
    IReadOnlyList<PlanStep> Plan(IReadOnlyList<OrderedChange> changes, Schema source, ICollection<Diagnostic> diagnostics);
}
