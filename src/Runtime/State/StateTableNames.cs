namespace SchemaBuild.Runtime.State;

/// <summary>The control tables in the target database (created on first deploy; left out of introspection).</summary>
public sealed record StateTableNames(string Deployments = "schemabuild_deployments", string Steps = "schemabuild_steps")
{
    public static readonly StateTableNames Default = new();

    public string[] All => new[] { Deployments, Steps };
}
