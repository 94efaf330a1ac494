namespace SchemaBuild.Cli;

/// <summary>The exit codes of the dotnet schema command (docs: INTERFACES).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Diagnostics at error severity: the schema or the plan is unsafe.</summary>
    public const int Unsafe = 1;

    public const int Usage = 2;

    public const int Drift = 3;

    public const int DeploymentFailed = 4;

    /// <summary><c>status --wait-for</c>: the deployment did not reach the state within <c>--timeout</c>.</summary>
    public const int WaitTimedOut = 5;
}
