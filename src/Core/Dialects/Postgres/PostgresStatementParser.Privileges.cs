using System.Collections.Generic;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// GRANT and REVOKE of privileges on tables, views, sequences and schemas: read into a
/// <see cref="PrivilegeStatement"/> that the model builder folds into access lists once every file is
/// read. Other forms (role membership, column privileges, routines, <c>ALL TABLES IN SCHEMA</c>,
/// <c>CURRENT_USER</c> grantees) are kept verbatim as before.
/// </summary>
internal sealed partial class PostgresStatementParser
{
    private void Privileges(Token first)
    {
        var start = cursor.Position;
        PrivilegeStatement? statement;
        try
        {
            statement = ReadPrivileges(first);
        }
        catch (SyntaxErrorException)
        {
            statement = null;
        }

        if (statement is null || (!cursor.AtEnd && !cursor.IsPunctuation(';')))
        {
            cursor.Position = start;
            Verbatim(first, first.Text.ToUpperInvariant(), null);
            return;
        }

        model.AddPrivileges(statement);
    }

    /// <summary>The statement, or null for a form that is not modelled.</summary>
    private PrivilegeStatement? ReadPrivileges(Token first)
    {
        var grant = cursor.Advance().IsWord("grant");
        var optionOnly = !grant && cursor.AcceptWords("grant", "option", "for");
        var privileges = new List<string>();
        var all = false;
        if (cursor.AcceptWord("all"))
        {
            all = true;
            cursor.AcceptWord("privileges");
        }
        else
        {
            do
            {
                var word = cursor.ExpectIdentifier("a privilege").Text.ToUpperInvariant();
                privileges.Add(word == "TEMP" ? "TEMPORARY" : word);
            }
            while (cursor.AcceptPunctuation(','));
        }

        if (!cursor.AcceptWord("on"))
        {
            // GRANT role TO role, or column privileges: not modelled.
            return null;
        }

        var kind = "TABLE";
        if (cursor.IsWord("table") || cursor.IsWord("sequence") || cursor.IsWord("schema"))
        {
            kind = cursor.Advance().Text.ToUpperInvariant();
        }
        else if (cursor.Current.Kind == TokenKind.Word && cursor.Peek().IsIdentifierLike && !cursor.Peek().IsWord("to") && !cursor.Peek().IsWord("from"))
        {
            // FUNCTION f(...), TYPE t, ALL TABLES IN SCHEMA s, ...
            return null;
        }

        // ON TABLE also names sequences (resolved when the model is built).
        if (!all && privileges.Exists(p => !PostgresPrivileges.IsPrivilege(kind, p) && !(kind == "TABLE" && PostgresPrivileges.IsPrivilege("SEQUENCE", p))))
        {
            throw cursor.Error("a privilege of " + kind.ToLowerInvariant() + "s");
        }

        var objects = new List<(QualifiedName Name, SourceSpan Span)>();
        do
        {
            var nameToken = cursor.Current;
            objects.Add((kind == "SCHEMA" ? new QualifiedName(null, Identifier("a schema name")) : Name("a table name"), Span(nameToken)));
        }
        while (cursor.AcceptPunctuation(','));

        if (!cursor.AcceptWord(grant ? "to" : "from"))
        {
            throw cursor.Error(grant ? "TO" : "FROM");
        }

        var grantees = new List<string>();
        do
        {
            cursor.AcceptWord("group");
            if (cursor.IsWord("current_user") || cursor.IsWord("session_user") || cursor.IsWord("current_role"))
            {
                return null;
            }

            var token = cursor.ExpectIdentifier("a role name");
            grantees.Add(token.Kind == TokenKind.Word && token.IsWord("public") ? "PUBLIC" : PostgresSyntax.Identifier(token));
        }
        while (cursor.AcceptPunctuation(','));

        var withOption = grant && cursor.AcceptWords("with", "grant", "option");
        if (cursor.AcceptWords("granted", "by"))
        {
            cursor.ExpectIdentifier("a role name");
        }

        if (!grant && !cursor.AcceptWord("cascade"))
        {
            cursor.AcceptWord("restrict");
        }

        return new PrivilegeStatement(grant, optionOnly, all ? null : privileges, kind, objects, grantees, withOption, cursor.SpanOf(first, cursor.Previous));
    }
}

/// <summary>
/// One GRANT or REVOKE as written: <see cref="Privileges"/> null for ALL; <see cref="Kind"/> TABLE also for
/// views and for sequences named without SEQUENCE (resolved when the model is built).
/// </summary>
internal sealed record PrivilegeStatement(
    bool Grant,
    bool GrantOptionOnly,
    IReadOnlyList<string>? Privileges,
    string Kind,
    IReadOnlyList<(QualifiedName Name, SourceSpan Span)> Objects,
    IReadOnlyList<string> Grantees,
    bool WithGrantOption,
    SourceSpan Span);
