using System;

namespace SchemaBuild.MySqlClient.Protocol;

[Flags]
internal enum ServerStatus : ushort
{
    None = 0,
    InTransaction = 1,
    AutoCommit = 2,
    MoreResultsExist = 8,
}
