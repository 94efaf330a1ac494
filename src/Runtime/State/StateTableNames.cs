namespace SchemaBuild.Runtime.State;

/// <summary>The control tables in the target database (created on first deploy; left out of introspection).</summary>
public sealed record StateTableNames(string Deployments = "schemabuild_deployments", string Steps = "schemabuild_steps")
{
    public static readonly StateTableNames Default = new();

    /// <summary>The table that records the control tables' layout version (one row), named after the deployments table.</summary>
    public string Version => Deployments + "_version";

    public string[] All => new[] { Deployments, Steps, Version };
}
