using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Runtime.Tests.Security;

/// <summary>
/// A second, private mariadbd in a temporary folder on a free loopback port, started with server
/// options a user's server may have (e.g. a global sql_mode) that tests must not set on the shared
/// server. Stopped and deleted on dispose. Fails, never skips, when the binaries are missing.
/// </summary>
public sealed class ThrowawayMariaDb : IAsyncDisposable
{
    private const string User = "sbtest";
    private const string Secret = "sbtest-secret";
    private readonly string folder;
    private readonly int port;

    private ThrowawayMariaDb(string folder, int port)
    {
        this.folder = folder;
        this.port = port;
    }

    /// <summary>The server URL (no database), with its test password.</summary>
    public string Url => $"mariadb://{User}:{Secret}@127.0.0.1:{port}/";

    public static async Task<ThrowawayMariaDb> StartAsync(params string[] serverOptions)
    {
        var folder = Path.Combine(Path.GetTempPath(), "sb-mariadb-" + Guid.NewGuid().ToString("n").Substring(0, 12));
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        var port = FreePort();
        var install = CommandLine.Run("mariadb-install-db", new[] { "--no-defaults", "--user=root", "--datadir=" + Path.Combine(folder, "data"), "--auth-root-authentication-method=socket", "--skip-test-db" }, timeout: TimeSpan.FromMinutes(3));
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException("mariadb-install-db failed: " + install.StandardError);
        }

        var socket = Path.Combine(folder, "mariadb.sock");
        var arguments = new System.Collections.Generic.List<string>
        {
            "--no-defaults", "--user=root", "--datadir=" + Path.Combine(folder, "data"), "--socket=" + socket, "--port=" + port,
            "--bind-address=127.0.0.1", "--pid-file=" + Path.Combine(folder, "mariadbd.pid"), "--log-error=" + Path.Combine(folder, "error.log"),
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci", "--innodb-buffer-pool-size=32M", "--skip-log-bin",
        };
        arguments.AddRange(serverOptions);
        var start = new System.Diagnostics.ProcessStartInfo("mariadbd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        System.Diagnostics.Process.Start(start)!.Dispose();
        var server = new ThrowawayMariaDb(folder, port);
        for (var i = 0; ; i++)
        {
            var setup = CommandLine.Run("mariadb", new[] { "--no-defaults", "-uroot", "--socket=" + socket },
                $"DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES; CREATE USER '{User}'@'127.0.0.1' IDENTIFIED BY '{Secret}'; GRANT ALL PRIVILEGES ON *.* TO '{User}'@'127.0.0.1';");
            if (setup.ExitCode == 0)
            {
                return server;
            }

            if (i > 120)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("the throwaway mariadbd did not start: " + setup.StandardError);
            }

            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(folder, "mariadbd.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open: the temp folder is cleaned by the system
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
