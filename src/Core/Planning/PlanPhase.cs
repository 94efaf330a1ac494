namespace SchemaBuild.Core.Planning;

/// <summary>
/// The order of a plan, coarse to fine: prerequisites, relaxations, expansions, then contractions.
/// Expand before contract keeps the running application working at every step.
/// </summary>
public enum PlanPhase
{
    /// <summary>Schemas and extensions everything else lives in.</summary>
    Namespaces,

    /// <summary>Enum types and sequences that columns use.</summary>
    Types,

    /// <summary>Foreign keys, checks, views and triggers removed before the objects they depend on change.</summary>
    Relax,

    /// <summary>
    /// Domains, functions, procedures, aggregates and operators that tables, defaults, checks,
    /// indexes and generated columns may use; among themselves, each after the ones it names.
    /// </summary>
    Routines,

    /// <summary>New tables, referenced tables first.</summary>
    CreateTables,

    /// <summary>Changes to existing tables: renames, new and changed columns, keys, indexes, checks.</summary>
    AlterTables,

    /// <summary>New foreign keys, once every table and column they name exists.</summary>
    ForeignKeys,

    /// <summary>New and changed views (after their sources).</summary>
    Views,

    /// <summary>Triggers, routines whose signature uses a table's row type, and statements not read back (grants, rules, ...): after the tables and views they name.</summary>
    Triggers,

    /// <summary>Destructive changes: dropped indexes, columns and tables.</summary>
    Contract,

    /// <summary>Types, sequences, domains and routines nothing uses any more.</summary>
    DropTypes,

    /// <summary>Schemas and extensions last.</summary>
    DropNamespaces,
}
