using System;

namespace SchemaBuild.Cli.Progress;

/// <summary>Whether to draw a live display: only on an interactive terminal, never in CI logs or redirected output.</summary>
public static class TerminalDetection
{
    private static readonly string[] CiVariables = { "CI", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI", "JENKINS_URL", "BUILDKITE", "TEAMCITY_VERSION" };

    public static bool IsInteractive()
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected)
        {
            return false;
        }

        foreach (var variable in CiVariables)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
            {
                return false;
            }
        }

        return Environment.GetEnvironmentVariable("TERM") != "dumb";
    }
}
