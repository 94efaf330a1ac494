namespace SchemaBuild.Runtime.State;

/// <summary>The control tables in the target database (created on first deploy; left out of introspection).</summary>
public sealed record StateTableNames(string Deployments = "schemabuild_deployments", string Steps = "schemabuild_steps")
{
    public static readonly StateTableNames Default = new();

    /// <summary>The table that records the control tables' layout version (one row), named after the deployments table.</summary>
    public string Version => Deployments + "_version";

    /// <summary>The ghost-copy table (one row per rebuilt table), named after the deployments table.</summary>
    public string GhostCopies => Deployments + "_ghost";

    /// <summary>The last deployed model with its annotations (one row), named after the deployments table.</summary>
    public string DeployedModel => Deployments + "_model";

    public string[] All => new[] { Deployments, Steps, Version, GhostCopies, DeployedModel };
}
