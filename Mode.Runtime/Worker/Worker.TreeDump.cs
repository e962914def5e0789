using System.Text;

namespace Mode;

// The service tree as text: what SIGUSR1 writes to standard error.
public partial class Worker
{
    /// <summary>
    /// Writes the service tree below this worker: per service its state, the hook it is in, its
    /// thread (a <see cref="ServiceThread"/>), diagnostic flags, running tasks and timers (what SIGUSR1 prints).
    /// </summary>
    /// <param name="writer">Where the text goes.</param>
    public void DumpTree(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var text = new StringBuilder();
        AppendTree(text, Beacon, 0);
        writer.Write(text.ToString());
    }

    /// <summary>Writes the tree to standard error under a heading (the SIGUSR1 handler).</summary>
    private void WriteTreeDumpToStandardError()
    {
        var dump = new StringWriter();
        dump.Write("Service tree (SIGUSR1):\n");
        DumpTree(dump);
        lock (_outputLock)
        {
            Error.Write(dump.ToString());
            Error.Flush();
        }
    }

    internal static void AppendTree(StringBuilder text, Node node, int indent)
    {
        var service = node.Data;
        text.Append(' ', indent * 2).Append(service.Label).Append(" [").Append(service.State).Append(']');
        if (service is ServiceThread { ManagedThreadId: { } thread })
        {
            text.Append(" thread=").Append(thread);
        }

        if (service is Service s)
        {
            if (s.CurrentHook is { } hook)
            {
                text.Append(" hook=").Append(hook);
            }

            var flags = s.Diag.Flags;
            if (flags.Count > 0)
            {
                text.Append(" flags=[").AppendJoin(", ", flags).Append(']');
            }

            var tasks = s.RunningTasks;
            if (tasks.Count > 0)
            {
                text.Append(" tasks=[").AppendJoin(", ", tasks).Append(']');
            }

            var timers = s.Timers;
            if (timers.Count > 0)
            {
                text.Append(" timers=").Append(timers.Count);
            }
        }

        text.Append('\n');
        foreach (var child in node.Children)
        {
            AppendTree(text, child, indent + 1);
        }
    }
}
