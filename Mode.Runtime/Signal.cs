namespace Mode;

/// <summary>
/// A typed asynchronous signal (Mode's <c>Signal</c>): receivers connect, <see cref="SendAsync"/>
/// awaits them one by one in connection order. A receiver may be limited to one sender, and may hold
/// its target weakly so that connecting does not keep it alive.
/// </summary>
/// <typeparam name="TSender">Who sends.</typeparam>
/// <typeparam name="TArgs">What is sent.</typeparam>
/// <remarks>
/// Unlike Mode, <see cref="SignalBase{TSender, TReceiver}.Disconnect"/> really disconnects (the returned subscription does too),
/// and receivers run in a defined order. Thread-safe.
/// </remarks>
public sealed class Signal<TSender, TArgs> : SignalBase<TSender, Func<TSender, TArgs, CancellationToken, ValueTask>>
    where TSender : class
{
    /// <summary>Creates a signal.</summary>
    /// <param name="name">The signal's name, for diagnostics.</param>
    public Signal(string? name = null)
        : base(name)
    {
    }

    /// <summary>
    /// Connects a receiver whose target is held weakly: once <paramref name="target"/> is collected the
    /// receiver is dropped. <paramref name="handler"/> should be a static lambda.
    /// </summary>
    /// <typeparam name="TTarget">The target's type.</typeparam>
    /// <param name="target">Held weakly.</param>
    /// <param name="handler">Receives the target, the sender and the arguments.</param>
    /// <param name="sender">Only this sender's signals reach it, when given.</param>
    /// <returns>A subscription whose disposal disconnects the receiver.</returns>
    public IDisposable ConnectWeak<TTarget>(TTarget target, Func<TTarget, TSender, TArgs, CancellationToken, ValueTask> handler, TSender? sender = null)
        where TTarget : class
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(handler);
        var weak = new WeakReference<TTarget>(target);
        Func<TSender, TArgs, CancellationToken, ValueTask> receiver = (s, a, ct) =>
            weak.TryGetTarget(out var t) ? handler(t, s, a, ct) : default;
        return AddReceiver(receiver, sender, () => weak.TryGetTarget(out _));
    }

    /// <summary>Sends to every matching receiver, awaiting each in turn. A receiver's exception propagates.</summary>
    /// <param name="args">What is sent.</param>
    /// <param name="cancellationToken">Passed to every receiver.</param>
    /// <param name="sender">Who sends.</param>
    public async ValueTask SendAsync(TSender sender, TArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        foreach (var receiver in ReceiversFor(sender))
        {
            await receiver(sender, args, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>A typed synchronous signal (Mode's <c>SyncSignal</c>); see <see cref="Signal{TSender, TArgs}"/>.</summary>
public sealed class SyncSignal<TSender, TArgs> : SignalBase<TSender, Action<TSender, TArgs>>
    where TSender : class
{
    /// <summary>Creates a signal.</summary>
    public SyncSignal(string? name = null)
        : base(name)
    {
    }

    /// <summary>Connects a receiver whose target is held weakly; see <see cref="Signal{TSender, TArgs}.ConnectWeak"/>.</summary>
    /// <typeparam name="TTarget">The target's type.</typeparam>
    /// <param name="target">Held weakly.</param>
    /// <param name="handler">Receives the target, the sender and the arguments.</param>
    /// <param name="sender">Only this sender's signals reach it, when given.</param>
    /// <returns>A subscription whose disposal disconnects the receiver.</returns>
    public IDisposable ConnectWeak<TTarget>(TTarget target, Action<TTarget, TSender, TArgs> handler, TSender? sender = null)
        where TTarget : class
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(handler);
        var weak = new WeakReference<TTarget>(target);
        Action<TSender, TArgs> receiver = (s, a) =>
        {
            if (weak.TryGetTarget(out var t))
            {
                handler(t, s, a);
            }
        };
        return AddReceiver(receiver, sender, () => weak.TryGetTarget(out _));
    }

    /// <summary>Calls every matching receiver in connection order. A receiver's exception propagates.</summary>
    /// <param name="args">What is sent.</param>
    /// <param name="sender">Who sends.</param>
    public void Send(TSender sender, TArgs args)
    {
        ArgumentNullException.ThrowIfNull(sender);
        foreach (var receiver in ReceiversFor(sender))
        {
            receiver(sender, args);
        }
    }
}

/// <summary>What <see cref="Signal{TSender, TArgs}"/> and <see cref="SyncSignal{TSender, TArgs}"/> share: the receiver list.</summary>
/// <typeparam name="TSender">Who sends.</typeparam>
/// <typeparam name="TReceiver">The receiver delegate type.</typeparam>
public abstract class SignalBase<TSender, TReceiver>
    where TSender : class
    where TReceiver : Delegate
{
    private readonly object _lock = new();
    private Entry[] _entries = [];

    private protected SignalBase(string? name) => Name = name;

    /// <summary>The signal's name, or <see langword="null"/>.</summary>
    public string? Name { get; }

    /// <summary>How many receivers are connected (weak ones whose target was collected excluded).</summary>
    public int ReceiverCount => Volatile.Read(ref _entries).Count(static e => e.IsAlive());

    /// <summary>Connects <paramref name="receiver"/>; with <paramref name="sender"/>, only that sender's signals reach it.</summary>
    /// <returns>A subscription whose disposal disconnects the receiver.</returns>
    /// <param name="receiver">The receiver.</param>
    /// <param name="sender">Only this sender's signals reach it, when given.</param>
    public IDisposable Connect(TReceiver receiver, TSender? sender = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        return AddReceiver(receiver, sender, static () => true);
    }

    /// <summary>Disconnects <paramref name="receiver"/> (connected for <paramref name="sender"/>, or for all senders).</summary>
    /// <returns><see langword="true"/> if it was connected.</returns>
    public bool Disconnect(TReceiver receiver, TSender? sender = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        lock (_lock)
        {
            var index = Array.FindIndex(_entries, e => e.Receiver.Equals(receiver) && e.SameSender(sender));
            if (index < 0)
            {
                return false;
            }

            Remove(_entries[index]);
            return true;
        }
    }

    private protected IDisposable AddReceiver(TReceiver receiver, TSender? sender, Func<bool> isAlive)
    {
        var entry = new Entry(this, receiver, sender is null ? null : new WeakReference<TSender>(sender), isAlive);
        lock (_lock)
        {
            _entries = [.. _entries.Where(static e => e.IsAlive()), entry];
        }

        return entry;
    }

    private protected IEnumerable<TReceiver> ReceiversFor(TSender sender)
    {
        foreach (var entry in Volatile.Read(ref _entries))
        {
            if (entry.IsAlive() && entry.Matches(sender))
            {
                yield return entry.Receiver;
            }
        }
    }

    private void Remove(Entry entry)
    {
        lock (_lock)
        {
            _entries = _entries.Where(e => !ReferenceEquals(e, entry)).ToArray();
        }
    }

    private sealed class Entry(SignalBase<TSender, TReceiver> owner, TReceiver receiver, WeakReference<TSender>? sender, Func<bool> isAlive) : IDisposable
    {
        public TReceiver Receiver { get; } = receiver;

        public bool IsAlive() => isAlive() && (sender is null || sender.TryGetTarget(out _));

        public bool Matches(TSender candidate) =>
            sender is null || (sender.TryGetTarget(out var target) && ReferenceEquals(target, candidate));

        public bool SameSender(TSender? candidate) =>
            candidate is null ? sender is null : Matches(candidate);

        public void Dispose() => owner.Remove(this);
    }
}
