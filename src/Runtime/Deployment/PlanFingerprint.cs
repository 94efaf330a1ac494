using System.Security.Cryptography;
using System.Text;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Runtime.Deployment;

/// <summary><c>sha256:</c> of what a plan does (its fingerprints and every step's strategy and SQL): the same plan always has the same fingerprint.</summary>
public static class PlanFingerprint
{
    public static string Compute(Plan plan)
    {
        var text = new StringBuilder();
        text.Append(plan.SourceFingerprint).Append('\n').Append(plan.TargetFingerprint).Append('\n');
        foreach (var step in plan.Steps)
        {
            text.Append(step.Id).Append('\t').Append(StrategyNames.Of(step.Strategy)).Append('\n');
            foreach (var statement in step.Sql)
            {
                text.Append(statement).Append('\n');
            }
        }

        return "sha256:" + System.Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }
}
