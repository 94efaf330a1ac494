using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Runtime.Tests;

/// <summary>Plans between two schema texts, as the build would compile them.</summary>
public static class Plans
{
    public static Plan Between(DialectKind dialect, string baseline, string desired)
    {
        var sql = SqlDialects.For(dialect);
        var source = ScenarioFile.Model(sql, baseline);
        var target = ScenarioFile.Model(sql, desired);
        // The planner's fingerprints: its target is the one the engine can reach (PostgreSQL appends new columns).
        return Planner.Create(source, target, EngineProfile.For(dialect));
    }
}
