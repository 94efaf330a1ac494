using SchemaBuild.Core.Diff;

namespace SchemaBuild.Core.Planning;

/// <summary>A change with the phase the orderer put it in.</summary>
public sealed record OrderedChange(PlanPhase Phase, SchemaChange Change);
