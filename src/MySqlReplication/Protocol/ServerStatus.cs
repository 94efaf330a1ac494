using System;

namespace SchemaBuild.MySqlReplication.Protocol;

[Flags]
internal enum ServerStatus : ushort
{
    None = 0,
    InTransaction = 1,
    AutoCommit = 2,
    MoreResultsExist = 8,
}
