namespace Mode;

/// <summary>Reaching the <see cref="Worker"/> from any service of its tree.</summary>
public static class WorkerExtensions
{
    /// <summary>
    /// Asks the worker that runs <paramref name="service"/> to stop gracefully and exit with
    /// <paramref name="exitCode"/> (see <see cref="Worker.Stop"/>). Returns at once.
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="service"/> does not run under a worker.</returns>
    /// <param name="service">A service of the worker's tree.</param>
    /// <param name="exitCode">The process exit code to return.</param>
    public static bool StopWorker(this IService service, int exitCode = 0)
    {
        if (Worker.Find(service) is not { } worker)
        {
            return false;
        }

        worker.Stop(exitCode);
        return true;
    }
}
