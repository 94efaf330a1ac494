using System;
using System.Runtime.InteropServices;

namespace SchemaBuild.Core.Loading;

/// <summary>
/// What kind of file a path names, following symbolic links. Reading a FIFO blocks until someone writes to it and a
/// device such as /dev/zero never ends, so schema files are checked before they are opened. The check asks the
/// runtime's own native layer (stat), whose result has the same layout on every Unix; on Windows every file is regular.
/// </summary>
internal static class FileKinds
{
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const int Directory = 0x4000;

    /// <summary>Null for a regular file (or when the kind cannot be told); otherwise what the file is, for a message.</summary>
    public static string? NotRegular(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return null;
        }

        try
        {
            if (Stat(path, out var status) != 0)
            {
                return null;
            }

            return (status.Mode & TypeMask) switch
            {
                Regular => null,
                Directory => "a directory",
                0x1000 => "a FIFO (named pipe)",
                0x2000 => "a character device",
                0x6000 => "a block device",
                0xC000 => "a socket",
                _ => "not a regular file",
            };
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, SetLastError = true)]
    private static extern int Stat(string path, out FileStatus status);

    /// <summary>The runtime's FileStatus: flags and mode first; the rest is room for the fields this check does not read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;

        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 32)]
        public long[] Rest;
    }
}
