using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Introspection;

namespace SchemaBuild.Cli.Commands;

/// <summary>Turns the runtime's failures into a message (password redacted) and the exit code of INTERFACES.md.</summary>
public static class RuntimeErrors
{
    public static async Task<int> RunAsync(ConnectionUrl url, TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (DriftDetectedException ex)
        {
            error.WriteLine("error: " + url.Redact(ex.Message));
            return ExitCodes.Drift;
        }
        catch (Exception ex) when (ex is PlanMismatchException or Runtime.State.InvalidControlTablesException)
        {
            error.WriteLine("error: " + url.Redact(ex.Message));
            return ExitCodes.Usage;
        }
        catch (DeploymentRefusedException ex)
        {
            error.WriteLine("error: " + url.Redact(ex.Message));
            return ex.UnsafePlan ? ExitCodes.Unsafe : ExitCodes.DeploymentFailed;
        }
        catch (StepFailedException ex)
        {
            error.WriteLine($"error: deployment {ex.DeploymentId} failed: " + url.Redact(ex.Message));
            return ExitCodes.DeploymentFailed;
        }
        catch (IntrospectionException ex)
        {
            error.WriteLine("error: " + url.Redact(ex.Message));
            return ExitCodes.DeploymentFailed;
        }
        catch (ConnectionFailedException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return ExitCodes.DeploymentFailed;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("error: canceled; run the command again to resume");
            return ExitCodes.DeploymentFailed;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or IOException or AuthenticationException
            or System.Data.Common.DbException)
        {
            // The session was open: the server or the network failed under a command.
            error.WriteLine($"error: {url}: " + url.RedactedMessage(ex) + ". Check that the server is reachable and that the user has the privileges the command needs.");
            return ExitCodes.DeploymentFailed;
        }
    }
}
