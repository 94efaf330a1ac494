using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>
/// The least a connection offers to code that works on either engine: run a statement (inside the
/// open transaction, if any) and run work in a transaction of its own.
/// </summary>
internal interface IStatementRunner
{
    Task<long> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken);

    Task InTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken);
}
