using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Dialects.Postgres;

namespace SchemaBuild.Core.Planning;

/// <summary>The engine-specific step planner for an engine profile.</summary>
public static class StepPlanners
{
    public static IStepPlanner For(EngineProfile engine) =>
        engine.IsPostgres ? new PostgresStepPlanner(engine) : new MySqlStepPlanner(engine);
}
