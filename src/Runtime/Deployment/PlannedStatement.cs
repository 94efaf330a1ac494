namespace SchemaBuild.Runtime.Deployment;

/// <summary>One statement a deployment runs (or would run, in a dry run), with its step.</summary>
public sealed record PlannedStatement(int StepId, string Strategy, string Sql);
