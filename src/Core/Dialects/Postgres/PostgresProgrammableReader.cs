using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Dialects.Postgres.Expressions;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Reads a function, procedure, trigger, domain, aggregate or operator into its canonical
/// comparison form: the header parsed and spelled as the server prints it (types as format_type
/// writes them without modifiers, defaults of options left out, names in <c>public</c> and
/// <c>pg_catalog</c> unqualified), and the body exactly as written, because the server stores it
/// verbatim (<c>pg_proc.prosrc</c>). pg_get_functiondef / pg_get_triggerdef output and the source
/// text give the same form, so a deployed object compares equal to its file. A form this reader
/// does not know is a <see cref="SyntaxErrorException"/>: the caller keeps the statement as text.
/// </summary>
internal sealed class PostgresProgrammableReader
{
    private static readonly HashSet<string> ArgModes = new() { "in", "out", "inout", "variadic" };

    private static readonly HashSet<string> DomainClauseWords = new() { "constraint", "not", "null", "check", "collate", "default" };

    private readonly TokenCursor cursor;
    private readonly int end;

    /// <summary>Names of types, functions and operators the header uses (not keywords, not the body): what must be created first.</summary>
    private readonly SortedSet<string> references = new(StringComparer.Ordinal);

    private PostgresProgrammableReader(TokenCursor cursor, int end)
    {
        this.cursor = cursor;
        this.end = end;
    }

    /// <summary>
    /// Fills the identity and canonical definition of <paramref name="statement"/>, which ends at
    /// token <paramref name="end"/> (its ';'); <paramref name="cursor"/> is at the kind word.
    /// </summary>
    public static VerbatimStatement Read(TokenCursor cursor, int end, VerbatimStatement statement)
    {
        var reader = new PostgresProgrammableReader(cursor, end);
        var read = statement.Kind switch
        {
            "FUNCTION" or "PROCEDURE" => reader.Routine(statement),
            "TRIGGER" or "CONSTRAINT TRIGGER" => reader.Trigger(statement),
            "DOMAIN" => reader.Domain(statement),
            "AGGREGATE" => reader.Aggregate(statement),
            "OPERATOR" => reader.Operator(statement),
            _ => throw cursor.Error("a programmable object"),
        };
        if (cursor.Position != end)
        {
            throw cursor.Error("the end of the " + statement.Kind.ToLowerInvariant());
        }

        return read with { ReadBack = true, References = reader.references.ToEquatableList() };
    }

    /// <summary>The names in the tokens from <paramref name="from"/> to the cursor (an expression): functions, types and columns it may use.</summary>
    private void Mentioned(int from)
    {
        for (var i = from; i < cursor.Position; i++)
        {
            var token = cursor.TokenAt(i);
            if (token.IsIdentifierLike)
            {
                references.Add(PostgresSyntax.Identifier(token));
            }
        }
    }

    private VerbatimStatement Routine(VerbatimStatement statement)
    {
        var kind = cursor.Advance().Text.ToLowerInvariant();
        var name = Qualify(PostgresSyntax.QualifiedName(cursor, "a " + kind + " name"));
        var args = Arguments(out var identity);
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? returns = null;
        string? body = null;
        while (cursor.Position < end)
        {
            if (cursor.AcceptWord("returns"))
            {
                if (cursor.AcceptWords("null", "on"))
                {
                    cursor.ExpectWords("null", "input");
                    options["strict"] = "true";
                }
                else if (cursor.AcceptWord("table"))
                {
                    returns = "table(" + string.Join(", ", TableColumns()) + ")";
                }
                else
                {
                    returns = (cursor.AcceptWord("setof") ? "setof " : string.Empty) + Type(modifiers: false);
                }
            }
            else if (cursor.AcceptWord("language"))
            {
                options["language"] = Word();
            }
            else if (cursor.IsWord("immutable") || cursor.IsWord("stable") || cursor.IsWord("volatile"))
            {
                options["volatility"] = Word();
            }
            else if (cursor.AcceptWords("not", "leakproof"))
            {
                options.Remove("leakproof");
            }
            else if (cursor.AcceptWord("leakproof"))
            {
                options["leakproof"] = "true";
            }
            else if (cursor.AcceptWord("strict"))
            {
                options["strict"] = "true";
            }
            else if (cursor.AcceptWords("called", "on"))
            {
                cursor.ExpectWords("null", "input");
                options.Remove("strict");
            }
            else if (cursor.AcceptWord("external") || cursor.IsWord("security"))
            {
                cursor.ExpectWord("security");
                options["security"] = Word();
            }
            else if (cursor.AcceptWord("parallel"))
            {
                options["parallel"] = Word();
            }
            else if (cursor.AcceptWord("cost"))
            {
                options["cost"] = Number();
            }
            else if (cursor.AcceptWord("rows"))
            {
                options["rows"] = Number();
            }
            else if (cursor.AcceptWord("support"))
            {
                options["support"] = FunctionName();
            }
            else if (cursor.AcceptWord("window"))
            {
                options["window"] = "true";
            }
            else if (cursor.AcceptWord("set"))
            {
                var parameter = PostgresSyntax.ExpectIdentifier(cursor, "a setting name");
                if (!cursor.AcceptWord("to") && !cursor.AcceptOperator("="))
                {
                    throw cursor.Error("TO or = (SET ... FROM CURRENT is read from the session at creation and cannot be compared)");
                }

                var values = new List<string> { SettingValue() };
                while (cursor.AcceptPunctuation(','))
                {
                    values.Add(SettingValue());
                }

                options["set " + parameter] = string.Join(", ", values);
            }
            else if (cursor.AcceptWord("as"))
            {
                body = cursor.ExpectKind(TokenKind.String, "the body (a string or $$ ... $$)").Value;
                if (cursor.AcceptPunctuation(','))
                {
                    body += "\n" + cursor.ExpectKind(TokenKind.String, "the link symbol").Value;
                }
            }
            else if (cursor.AcceptWord("return"))
            {
                body = "return " + PostgresExpressionCanonicalizer.Expression(cursor.SourceText(cursor.Position, end));
                cursor.Position = end;
            }
            else
            {
                throw cursor.Error("a " + kind + " option (RETURNS, LANGUAGE, AS, ...)");
            }
        }

        var language = options.TryGetValue("language", out var lang) ? lang : "sql";
        options["language"] = language;
        Drop(options, "volatility", "volatile");
        Drop(options, "security", "invoker");
        Drop(options, "parallel", "unsafe");
        Drop(options, "cost", language is "c" or "internal" ? "1" : "100");
        var returnsSet = returns is not null && (returns.StartsWith("setof ", StringComparison.Ordinal) || returns.StartsWith("table(", StringComparison.Ordinal));
        Drop(options, "rows", returnsSet ? "1000" : "0");
        if (kind == "function")
        {
            returns ??= OutResult(args);
        }

        var signature = "(" + string.Join(", ", args) + ")" + (returns is null ? string.Empty : " returns " + returns);
        var definition = new StringBuilder(kind).Append(' ').Append(name).Append(signature).Append('\n');
        foreach (var option in options)
        {
            definition.Append(option.Key).Append(' ').Append(option.Value).Append('\n');
        }

        definition.Append("body ").Append(body ?? throw cursor.Error("AS followed by the body"));
        var id = name + "(" + string.Join(", ", identity) + ")";
        return statement with
        {
            Name = id, ObjectName = Unqualified(name), DropTarget = id, Definition = definition.ToString(), Shape = kind + signature,
        };
    }

    /// <summary>A function without RETURNS returns its single OUT parameter's type, or a record of several.</summary>
    private static string OutResult(List<string> args)
    {
        var outs = args.Where(a => a.StartsWith("out ", StringComparison.Ordinal) || a.StartsWith("inout ", StringComparison.Ordinal)).ToList();
        return outs.Count == 1 ? outs[0].Substring(outs[0].LastIndexOf(' ') + 1) : "record";
    }

    /// <summary>The parameter list; <paramref name="identity"/> gets the input types (what identifies an overload).</summary>
    private List<string> Arguments(out List<string> identity)
    {
        identity = new List<string>();
        var args = new List<string>();
        cursor.ExpectPunctuation('(');
        if (cursor.AcceptPunctuation(')'))
        {
            return args;
        }

        if (cursor.Current.IsOperator("*"))
        {
            cursor.Advance();
            cursor.ExpectPunctuation(')');
            identity.Add("*");
            return args;
        }

        do
        {
            var mode = "in";
            if (cursor.Current.Kind == TokenKind.Word && ArgModes.Contains(cursor.Current.Text.ToLowerInvariant()) && !AtArgumentEnd(cursor.Peek()))
            {
                mode = cursor.Advance().Text.ToLowerInvariant();
            }

            string? name = null;
            if (HasArgumentName())
            {
                name = PostgresSyntax.Identifier(cursor.Advance());
            }

            var type = Type(modifiers: false);
            string? value = null;
            if (cursor.AcceptWord("default") || cursor.AcceptOperator("="))
            {
                var from = cursor.Position;
                cursor.SkipBalanced(stopAtComma: true);
                Mentioned(from);
                value = PostgresExpressionCanonicalizer.Expression(cursor.SourceText(from, cursor.Position));
            }

            if (mode != "out")
            {
                identity.Add(type);
            }

            args.Add((mode == "in" ? string.Empty : mode + " ") + (name is null ? string.Empty : PostgresQuoting.Identifier(name) + " ") + type
                + (value is null ? string.Empty : " default " + value));
        }
        while (cursor.AcceptPunctuation(','));

        if (cursor.IsWords("order", "by"))
        {
            throw cursor.Error("an ordinary aggregate (ordered-set aggregates are kept as text)");
        }

        cursor.ExpectPunctuation(')');
        return args;
    }

    private static bool AtArgumentEnd(Token token) =>
        token.IsPunctuation(',') || token.IsPunctuation(')') || token.IsWord("default") || token.IsOperator("=");

    /// <summary>True when the parameter starts with a name: reading a type from here would not end the parameter.</summary>
    private bool HasArgumentName()
    {
        var start = cursor.Position;
        try
        {
            PostgresSyntax.DataType(cursor);
            return !AtArgumentEnd(cursor.Current);
        }
        catch (SyntaxErrorException)
        {
            return true;
        }
        finally
        {
            cursor.Position = start;
        }
    }

    private List<string> TableColumns()
    {
        var columns = new List<string>();
        cursor.ExpectPunctuation('(');
        do
        {
            var name = PostgresQuoting.Identifier(PostgresSyntax.ExpectIdentifier(cursor, "a column name"));
            columns.Add(name + " " + Type(modifiers: false));
        }
        while (cursor.AcceptPunctuation(','));

        cursor.ExpectPunctuation(')');
        return columns;
    }

    private VerbatimStatement Trigger(VerbatimStatement statement)
    {
        var constraint = cursor.AcceptWord("constraint");
        cursor.ExpectWord("trigger");
        var name = PostgresSyntax.ExpectIdentifier(cursor, "a trigger name");
        string timing;
        if (cursor.AcceptWords("instead", "of"))
        {
            timing = "instead of";
        }
        else if (cursor.IsWord("before") || cursor.IsWord("after"))
        {
            timing = Word();
        }
        else
        {
            throw cursor.Error("BEFORE, AFTER or INSTEAD OF");
        }

        var events = new List<string>();
        do
        {
            var @event = cursor.ExpectIdentifier("INSERT, UPDATE, DELETE or TRUNCATE").Text.ToLowerInvariant();
            if (@event == "update" && cursor.AcceptWord("of"))
            {
                var columns = new List<string>();
                do
                {
                    columns.Add(PostgresQuoting.Identifier(PostgresSyntax.ExpectIdentifier(cursor, "a column name")));
                }
                while (cursor.AcceptPunctuation(','));

                columns.Sort(StringComparer.Ordinal);
                @event += " of " + string.Join(", ", columns);
            }

            events.Add(@event);
        }
        while (cursor.AcceptWord("or"));

        events.Sort(StringComparer.Ordinal);
        cursor.ExpectWord("on");
        var table = Qualify(PostgresSyntax.QualifiedName(cursor, "a table name"));
        var definition = new StringBuilder(constraint ? "constraint trigger " : "trigger ")
            .Append(PostgresQuoting.Identifier(name)).Append(" on ").Append(table).Append('\n')
            .Append(timing).Append(' ').Append(string.Join(" or ", events)).Append('\n');
        var deferrable = false;
        var deferred = false;
        var level = "statement";
        while (cursor.Position < end && !cursor.IsWord("execute"))
        {
            if (cursor.AcceptWord("from"))
            {
                definition.Append("from ").Append(Qualify(PostgresSyntax.QualifiedName(cursor, "a table name"))).Append('\n');
            }
            else if (cursor.AcceptWords("not", "deferrable"))
            {
                deferrable = false;
            }
            else if (cursor.AcceptWord("deferrable"))
            {
                deferrable = true;
            }
            else if (cursor.AcceptWord("initially"))
            {
                deferred = Word() == "deferred";
            }
            else if (cursor.AcceptWord("referencing"))
            {
                while (cursor.IsWord("old") || cursor.IsWord("new"))
                {
                    var which = Word();
                    cursor.ExpectWord("table");
                    cursor.AcceptWord("as");
                    definition.Append("referencing ").Append(which).Append(" table ").Append(PostgresQuoting.Identifier(PostgresSyntax.ExpectIdentifier(cursor, "a transition table name"))).Append('\n');
                }
            }
            else if (cursor.AcceptWord("for"))
            {
                cursor.AcceptWord("each");
                level = Word();
            }
            else if (cursor.AcceptWord("when"))
            {
                cursor.ExpectPunctuation('(');
                var from = cursor.Position;
                cursor.SkipBalanced(stopAtComma: false);
                Mentioned(from);
                definition.Append("when ").Append(PostgresExpressionCanonicalizer.Expression(cursor.SourceText(from, cursor.Position))).Append('\n');
                cursor.ExpectPunctuation(')');
            }
            else
            {
                throw cursor.Error("a trigger clause (FOR EACH ROW, WHEN, EXECUTE FUNCTION, ...)");
            }
        }

        if (constraint)
        {
            definition.Append(deferrable ? "deferrable" : "not deferrable").Append(deferred ? " initially deferred\n" : " initially immediate\n");
        }

        cursor.ExpectWord("execute");
        if (!cursor.AcceptWord("function"))
        {
            cursor.ExpectWord("procedure");
        }

        definition.Append("for each ").Append(level).Append("\nexecute ").Append(FunctionName()).Append('(');
        cursor.ExpectPunctuation('(');
        var args = new List<string>();
        while (!cursor.IsPunctuation(')'))
        {
            var token = cursor.Advance();
            if (!token.IsPunctuation(','))
            {
                args.Add(token.Kind == TokenKind.String ? token.Value : token.Text);
            }
        }

        cursor.ExpectPunctuation(')');
        definition.Append(string.Join(", ", args.Select(PostgresQuoting.Literal))).Append(')');
        var target = PostgresQuoting.Identifier(name) + " ON " + table;
        return statement with
        {
            Name = target, ObjectName = name, DropTarget = target, Definition = definition.ToString(), AfterTables = true,
            Shape = constraint ? null : "trigger",
        };
    }

    private VerbatimStatement Domain(VerbatimStatement statement)
    {
        cursor.ExpectWord("domain");
        var qualified = PostgresSyntax.QualifiedName(cursor, "a domain name");
        var name = Qualify(qualified);
        cursor.AcceptWord("as");
        var definition = new StringBuilder("domain ").Append(name).Append('\n').Append("type ").Append(Type(modifiers: true)).Append('\n');
        var checks = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var notNull = false;
        string? constraintName = null;
        while (cursor.Position < end)
        {
            if (cursor.AcceptWord("collate"))
            {
                definition.Append("collate ").Append(FunctionName()).Append('\n');
            }
            else if (cursor.AcceptWord("default"))
            {
                var from = cursor.Position;
                while (cursor.Position < end && !(cursor.Current.Kind == TokenKind.Word && DomainClauseWords.Contains(cursor.Current.Text.ToLowerInvariant())))
                {
                    if (cursor.AcceptPunctuation('('))
                    {
                        cursor.SkipBalanced(stopAtComma: false);
                        cursor.ExpectPunctuation(')');
                    }
                    else
                    {
                        cursor.Advance();
                    }
                }

                Mentioned(from);
                definition.Append("default ").Append(PostgresExpressionCanonicalizer.Expression(cursor.SourceText(from, cursor.Position))).Append('\n');
            }
            else if (cursor.AcceptWord("constraint"))
            {
                constraintName = PostgresSyntax.ExpectIdentifier(cursor, "a constraint name");
            }
            else if (cursor.AcceptWords("not", "null"))
            {
                notNull = true;
                constraintName = null;
            }
            else if (cursor.AcceptWord("null"))
            {
                constraintName = null;
            }
            else if (cursor.AcceptWord("check"))
            {
                cursor.ExpectPunctuation('(');
                var from = cursor.Position;
                cursor.SkipBalanced(stopAtComma: false);
                Mentioned(from);
                var expression = PostgresExpressionCanonicalizer.Expression(cursor.SourceText(from, cursor.Position));
                cursor.ExpectPunctuation(')');
                var checkName = constraintName ?? GeneratedCheckName(qualified.Name, checks);
                checks[checkName] = expression;
                constraintName = null;
            }
            else
            {
                throw cursor.Error("a domain clause (DEFAULT, NOT NULL, CHECK, CONSTRAINT, COLLATE)");
            }
        }

        if (notNull)
        {
            definition.Append("not null\n");
        }

        foreach (var check in checks)
        {
            definition.Append("check ").Append(PostgresQuoting.Identifier(check.Key)).Append(' ').Append(check.Value).Append('\n');
        }

        return statement with { Name = name, ObjectName = qualified.Name, DropTarget = name, Definition = definition.ToString().TrimEnd('\n') };
    }

    /// <summary>The name the server gives an unnamed domain check: <c>domain_check</c>, then <c>domain_check1</c>, ...</summary>
    private static string GeneratedCheckName(string domain, SortedDictionary<string, string> taken)
    {
        var name = PostgresNames.MakeObjectName(domain, null, "check");
        for (var i = 1; taken.ContainsKey(name); i++)
        {
            name = PostgresNames.MakeObjectName(domain, null, "check" + i.ToString(CultureInfo.InvariantCulture));
        }

        return name;
    }

    private VerbatimStatement Aggregate(VerbatimStatement statement)
    {
        cursor.ExpectWord("aggregate");
        var name = Qualify(PostgresSyntax.QualifiedName(cursor, "an aggregate name"));
        List<string>? identity = null;
        if (!(cursor.Peek().IsIdentifierLike && (cursor.Peek(2).IsOperator("="))))
        {
            Arguments(out identity);
        }

        var options = Options(out var baseType);
        identity ??= new List<string> { baseType ?? throw cursor.Error("BASETYPE = type") };
        var id = name + "(" + string.Join(", ", identity) + ")";
        Drop(options, "parallel", "unsafe");
        Drop(options, "finalfunc_modify", "read_only");
        Drop(options, "sspace", "0");
        var definition = "aggregate " + id + "\n" + string.Join("\n", options.Select(o => o.Key + " " + o.Value));
        var shape = "aggregate " + (options.TryGetValue("stype", out var stype) ? stype : string.Empty);
        return statement with { Name = id, ObjectName = Unqualified(name), DropTarget = id, Definition = definition, Shape = shape };
    }

    private VerbatimStatement Operator(VerbatimStatement statement)
    {
        cursor.ExpectWord("operator");
        var (schema, symbol) = OperatorSymbol();

        var options = Options(out _);
        var left = options.TryGetValue("leftarg", out var l) ? l : "NONE";
        var right = options.TryGetValue("rightarg", out var r) ? r : "NONE";
        var name = PostgresQuoting.Identifier(schema) + "." + symbol;
        var id = name + "(" + left + ", " + right + ")";
        var definition = "operator " + id + "\n" + string.Join("\n", options.Select(o => o.Key + " " + o.Value));
        return statement with { Name = id, ObjectName = symbol, DropTarget = name + " (" + left + ", " + right + ")", Definition = definition };
    }

    /// <summary>The <c>(key = value, flag, ...)</c> list of an aggregate or operator, each value in its canonical spelling.</summary>
    private SortedDictionary<string, string> Options(out string? baseType)
    {
        baseType = null;
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        cursor.ExpectPunctuation('(');
        do
        {
            var key = cursor.ExpectIdentifier("an option name").Text.ToLowerInvariant();
            if (!cursor.AcceptOperator("="))
            {
                options[key] = "true";
                continue;
            }

            switch (key)
            {
                case "procedure" or "function":
                    options["function"] = FunctionName();
                    break;
                case "basetype":
                    baseType = cursor.IsWord("any") ? Word().Replace("any", "*") : Type(modifiers: false);
                    break;
                case "stype" or "mstype" or "leftarg" or "rightarg":
                    options[key] = Type(modifiers: false);
                    break;
                case "initcond" or "minitcond":
                    var token = cursor.Advance();
                    options[key] = PostgresQuoting.Literal(token.Kind == TokenKind.String ? token.Value : token.Text);
                    break;
                case "commutator" or "negator" or "sortop":
                    options[key] = OperatorName();
                    break;
                case "sspace" or "msspace":
                    options[key] = Number();
                    break;
                case "parallel" or "finalfunc_modify" or "mfinalfunc_modify":
                    options[key] = Word();
                    break;
                default:
                    options[key] = FunctionName();
                    break;
            }
        }
        while (cursor.AcceptPunctuation(','));

        cursor.ExpectPunctuation(')');
        return options;
    }

    /// <summary><c>op</c>, <c>schema.op</c> or <c>OPERATOR(schema.op)</c>; public and pg_catalog are left out.</summary>
    private string OperatorName()
    {
        var wrapped = cursor.AcceptWord("operator");
        if (wrapped)
        {
            cursor.ExpectPunctuation('(');
        }

        var (schema, symbol) = OperatorSymbol();
        if (wrapped)
        {
            cursor.ExpectPunctuation(')');
        }

        references.Add(symbol);
        return (schema is "public" or "pg_catalog" ? string.Empty : PostgresQuoting.Identifier(schema) + ".") + symbol;
    }

    /// <summary><c>symbol</c> or <c>schema.symbol</c> (schema <c>public</c> when absent); the lexer may split a symbol into several operator tokens.</summary>
    private (string Schema, string Symbol) OperatorSymbol()
    {
        var schema = "public";
        if (cursor.Current.IsIdentifierLike && cursor.Peek().IsPunctuation('.'))
        {
            schema = PostgresSyntax.Identifier(cursor.Advance());
            cursor.Advance();
        }

        var symbol = new StringBuilder();
        while (cursor.Current.Kind == TokenKind.Operator)
        {
            symbol.Append(cursor.Advance().Text);
        }

        return symbol.Length > 0 ? (schema, symbol.ToString()) : throw cursor.Error("an operator symbol");
    }

    /// <summary>A function (or collation) name; public and pg_catalog are left out, as the server prints them with the default search path.</summary>
    private string FunctionName()
    {
        var token = cursor.Current;
        var name = token.Kind == TokenKind.String ? new QualifiedName(null, cursor.Advance().Value) : PostgresSyntax.QualifiedName(cursor, "a function name");
        references.Add(name.Name);
        return name.Schema is null or "public" or "pg_catalog" ? PostgresQuoting.Identifier(name.Name) : PostgresQuoting.Identifier(name.Schema) + "." + PostgresQuoting.Identifier(name.Name);
    }

    private string Type(bool modifiers)
    {
        var type = PostgresTypes.Canonical(PostgresSyntax.DataType(cursor), _ => "public");
        references.Add(type.Name);
        if (cursor.Current.IsOperator("%"))
        {
            throw cursor.Error("a type (column%TYPE is resolved by the server and kept as text)");
        }

        if (!modifiers)
        {
            // Function signatures keep only the type: the server drops lengths and precisions there.
            type = type with { Length = null, Precision = null, Scale = null, Qualifier = null };
        }

        return PostgresTypes.Format(type, PostgresQuoting.Identifier);
    }

    private string SettingValue()
    {
        var token = cursor.Advance();
        return token.Kind switch
        {
            TokenKind.String => token.Value,
            TokenKind.Word => token.Text.ToLowerInvariant(),
            TokenKind.QuotedIdentifier => token.Value,
            _ => token.Text,
        };
    }

    private string Word()
    {
        var token = cursor.Advance();
        return token.Kind is TokenKind.Word ? token.Text.ToLowerInvariant() : token.Kind is TokenKind.String or TokenKind.QuotedIdentifier ? token.Value.ToLowerInvariant() : throw cursor.ErrorAt(token, "expected a word, found " + token.Describe());
    }

    private string Number()
    {
        var token = cursor.ExpectKind(TokenKind.Number, "a number");
        return decimal.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value.ToString("0.############", CultureInfo.InvariantCulture)
            : token.Text;
    }

    private static void Drop(SortedDictionary<string, string> options, string key, string defaultValue)
    {
        if (options.TryGetValue(key, out var value) && value == defaultValue)
        {
            options.Remove(key);
        }
    }

    private static string Qualify(QualifiedName name) =>
        PostgresQuoting.Identifier(name.Schema ?? "public") + "." + PostgresQuoting.Identifier(name.Name);

    private static string Unqualified(string qualified) => qualified.Substring(qualified.LastIndexOf('.') + 1).Trim('"');
}
