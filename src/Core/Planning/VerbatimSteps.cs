using System;
using System.Collections.Generic;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// The statements of a verbatim change, shared by the engines' step planners: the text as written
/// for a new object; <c>CREATE OR REPLACE</c> (the written text with OR REPLACE added) for a changed
/// one when the engine can replace that kind and its shape is unchanged; otherwise drop, then create.
/// </summary>
public static class VerbatimSteps
{
    /// <param name="canReplace">Whether the engine has CREATE OR REPLACE for the statement's kind.</param>
    /// <param name="beforeCreate">Session settings a new definition needs (e.g. PostgreSQL's check_function_bodies), or none.</param>
    public static List<string> Statements(ChangeVerbatim change, Func<VerbatimStatement, bool> canReplace, Func<VerbatimStatement, string?> dropKind, Func<VerbatimStatement, IEnumerable<string>> beforeCreate)
    {
        var sql = new List<string>();
        var from = change.From;
        var to = change.To;
        var replace = from is not null && to is not null && from.Kind == to.Kind && from.Shape is not null && from.Shape == to.Shape && canReplace(to);
        if (from is not null && !replace && (from.DropTarget ?? from.Name) is { } target && dropKind(from) is { } kind)
        {
            sql.Add("DROP " + kind + " IF EXISTS " + target);
        }

        if (to is not null)
        {
            sql.AddRange(beforeCreate(to));
            sql.Add(replace ? OrReplace(to.Text) : to.Text);
        }

        return sql;
    }

    /// <summary>The statement with OR REPLACE after its leading CREATE (unless it is there already).</summary>
    public static string OrReplace(string text)
    {
        const string Create = "CREATE";
        if (!text.StartsWith(Create, StringComparison.OrdinalIgnoreCase) || text.Length == Create.Length || !char.IsWhiteSpace(text[Create.Length]))
        {
            return text;
        }

        var rest = text.Substring(Create.Length).TrimStart();
        if (rest.StartsWith("OR", StringComparison.OrdinalIgnoreCase) && rest.Length > 2 && char.IsWhiteSpace(rest[2]))
        {
            return text;
        }

        return text.Substring(0, Create.Length) + " OR REPLACE" + text.Substring(Create.Length);
    }
}
