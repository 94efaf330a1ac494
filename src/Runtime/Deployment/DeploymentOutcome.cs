namespace SchemaBuild.Runtime.Deployment;

/// <summary>How a deployment ended when it did not throw.</summary>
public enum DeploymentOutcome
{
    /// <summary>Every step ran (or was found already applied).</summary>
    Deployed,

    /// <summary>The live schema already was the plan's target.</summary>
    UpToDate,

    /// <summary>Dry run: nothing executed.</summary>
    DryRun,
}
