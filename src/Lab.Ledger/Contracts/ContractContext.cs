using System.Runtime.InteropServices;
using Lab.Ledger.Transactions;
using Lab.Sim.Time;

namespace Lab.Ledger.Contracts;

/// <summary>
/// What a contract sees while executing one call: the caller's identity and roles, the block
/// height, the state (reads see this call's own earlier writes), token balances, events, and the
/// way to reject. Writes are buffered and reach <see cref="VersionedState"/> only if the call
/// completes: a call is all or nothing, so a DvP either moves both legs or neither.
/// There is deliberately no clock here: replicas apply a block at different times.
/// </summary>
public sealed class ContractContext
{
    private readonly ContractRuntime _runtime;
    /// <summary>The call's writes in the order their keys were first written, each key once with its last value.</summary>
    internal readonly List<PendingWrite> Writes = [];
    // Key → its position in Writes, built only once a call writes more than a few keys: most calls (a DvP: 5 keys)
    // find their own writes faster by a scan, which compares the same key objects by reference, than by hashing every key.
    private readonly Dictionary<string, int> _written = new(StringComparer.Ordinal);
    private const int ScanLimit = 8;
    internal readonly List<(string Name, object? Data)> Events = [];
    internal Duration Cpu;

    internal ContractContext(ContractRuntime runtime) => _runtime = runtime;

    public string Caller { get; private set; } = "";
    public long Height { get; private set; }
    public TxId Tx { get; private set; }
    public string Contract { get; private set; } = "";

    /// <summary><see cref="Height"/> as a stored value, one object per block: contracts that record the height under many keys
    /// (a DvP, per settled trade) share it rather than keep one boxed number per key.</summary>
    public object HeightValue => _heightValue is { } h && (long)h == Height ? h : _heightValue = Height;
    private object? _heightValue;

    internal void Begin(string caller, long height, TxId tx, string contract)
    {
        Caller = caller; Height = height; Tx = tx; Contract = contract;
        Writes.Clear(); if (_written.Count > 0) _written.Clear(); Events.Clear(); Cpu = Duration.Zero; Declined = null;
        Array.Clear(_balanceReads, 0, _balanceReadCount);   // lets the keys go
        _balanceReadCount = 0;
    }

    // ---- identity and roles ----

    public bool CallerHas(string role) => _runtime.Members.Has(Caller, role);

    /// <summary>Rejects the call as unauthorised unless the caller holds <paramref name="role"/>.</summary>
    public void RequireRole(string role)
    {
        if (!CallerHas(role)) Unauthorised($"{Caller} lacks role '{role}'");
    }

    public bool IsMember(string identity) => _runtime.Members.IsMember(identity);

    // ---- state ----

    public object? Get(string key) => IndexOfWrite(key) is var i and >= 0 ? Writes[i].Value : _runtime.State.Get(key);

    // A balance reads as its number; anything else a contract put under its key reads as 0.
    private long Get(Account account)
    {
        var i = IndexOfWrite(account.Key);
        if (i < 0) return ReadBalance(account.Key);
        var w = Writes[i];
        return w.IsAmount ? w.Amount : w.Object is long b ? b : 0;
    }

    // The committed balances this call has read: a contract that checks a balance and then moves it (a DvP: both legs) reads
    // each twice, and the state does not change during a call (its writes wait in Writes until it completes).
    private readonly (string Key, long Amount)[] _balanceReads = new (string, long)[4];
    private int _balanceReadCount;

    private long ReadBalance(string key)
    {
        for (int r = 0; r < _balanceReadCount; r++)
            if (ReferenceEquals(_balanceReads[r].Key, key)) return _balanceReads[r].Amount;
        var amount = _runtime.State.AmountOf(key);
        if (_balanceReadCount < _balanceReads.Length) _balanceReads[_balanceReadCount++] = (key, amount);
        return amount;
    }

    // Position of the key in Writes, or -1.
    private int IndexOfWrite(string key)
    {
        if (Writes.Count > ScanLimit) return _written.TryGetValue(key, out var at) ? at : -1;
        var writes = CollectionsMarshal.AsSpan(Writes);
        for (int i = 0; i < writes.Length; i++)
            if (ReferenceEquals(writes[i].Key, key)) return i;
        for (int i = 0; i < writes.Length; i++)
            if (string.Equals(writes[i].Key, key, StringComparison.Ordinal)) return i;
        return -1;
    }

    public T? Get<T>(string key) => Get(key) is T t ? t : default;

    public void Put(string key, object? value) => Put(new PendingWrite(key, value, 0, false, null));

    private void Put(PendingWrite write)
    {
        var i = IndexOfWrite(write.Key);
        if (i >= 0)
        {
            var earlier = Writes[i];
            Writes[i] = write with { Key = earlier.Key, Account = write.Account ?? earlier.Account };
            return;
        }
        Writes.Add(write);
        if (Writes.Count == ScanLimit + 1)   // from here on the index answers: fill it with the writes so far
            for (int w = 0; w < Writes.Count; w++) _written.Add(Writes[w].Key, w);
        else if (Writes.Count > ScanLimit + 1) _written.Add(write.Key, Writes.Count - 1);
    }

    // A balance written through its account carries it, so the commit knows its asset without reading the key;
    // the number stays unboxed all the way to the state's table.
    private void Put(Account account, long value) => Put(new PendingWrite(account.Key, null, value, true, account));

    // ---- tokens ----

    /// <summary>Units of <paramref name="asset"/> held by <paramref name="holder"/> (shares, or cash in minor units).</summary>
    public long Balance(string asset, string holder) => Get(_runtime.CachedAccount(asset, holder));

    /// <summary>Units held in <paramref name="account"/> (the same as by asset and holder, without building its key).</summary>
    public long Balance(Account account) => Get(account);

    /// <summary>Moves units between holders; rejects if the sender holds too few. Authorisation is the
    /// calling contract's job (a token contract lets only the owner transfer, a DvP only its agent).</summary>
    public void Transfer(string asset, string from, string to, long amount)
    {
        if (amount < 0) Reject($"negative transfer of {asset}");
        if (amount == 0 || from == to) return;
        Transfer(_runtime.CachedAccount(asset, from), _runtime.CachedAccount(asset, to), amount);
    }

    /// <summary><see cref="Transfer(string, string, string, long)"/> between two accounts of one asset (every DvP leg, on every replica: keys built once).</summary>
    public void Transfer(Account from, Account to, long amount)
    {
        var asset = from.Asset;
        if (to.Asset != asset) Reject($"transfer from {asset} to {to.Asset}");
        if (amount < 0) Reject($"negative transfer of {asset}");
        if (amount == 0 || from.Holder == to.Holder) return;
        if (!_runtime.IsAsset(asset)) Reject($"unknown asset {asset}");
        var have = Get(from);
        if (have < amount) Reject($"insufficient {asset}: {from.Holder} holds {have}, needs {amount}");
        Put(from, have - amount);
        Put(to, Get(to) + amount);
    }

    /// <summary>Creates units: only the asset's issuer may (the one exception to conservation).</summary>
    public void Issue(string asset, string to, long amount)
    {
        RequireIssuer(asset);
        if (amount <= 0) Reject("issue amount must be positive");
        Put(_runtime.CachedSupplyKey(asset), checked(Supply(asset) + amount));
        var account = _runtime.CachedAccount(asset, to);
        Put(account, checked(Get(account) + amount));
    }

    /// <summary>Destroys units held by the issuer itself (cash withdrawn, shares cancelled).</summary>
    public void Redeem(string asset, long amount)
    {
        RequireIssuer(asset);
        if (amount <= 0) Reject("redeem amount must be positive");
        var have = Balance(asset, Caller);
        if (have < amount) Reject($"insufficient {asset} to redeem: {Caller} holds {have}");
        Put(_runtime.CachedSupplyKey(asset), Supply(asset) - amount);
        Put(_runtime.CachedAccount(asset, Caller), have - amount);
    }

    public long Supply(string asset) => Get(_runtime.CachedSupplyKey(asset)) is long s ? s : 0;

    private void RequireIssuer(string asset)
    {
        if (!_runtime.IsAsset(asset)) Reject($"unknown asset {asset}");
        if (_runtime.IssuerOf(asset) != Caller) Unauthorised($"{Caller} is not the issuer of {asset}");
    }

    // ---- events, cost, rejection ----

    public void Emit(string name, object? data = null) => Events.Add((name, data));

    /// <summary>Adds execution cost (CPU) beyond the runtime's per-call charge.</summary>
    public void Charge(Duration cpu) => Cpu += cpu;

    /// <summary>Rejects without unwinding the stack: the contract must return right after. The cheap path for
    /// expected business rejections (e.g. pre-funding), which are frequent; writes are discarded as with <see cref="Reject"/>.</summary>
    public void Decline(string reason) => Declined ??= reason;

    internal string? Declined;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void Reject(string reason) => throw new ContractRejected(reason);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void Unauthorised(string reason) => throw new ContractRejected("unauthorised: " + reason, unauthorised: true);
}

/// <summary>
/// One key a call wrote, with its last value: a number written as a balance (through its account) kept inline as
/// <see cref="Amount"/> (no boxed number per leg of every DvP on every replica), anything else as <see cref="Object"/>.
/// <see cref="Account"/>: the balance's account when written through one (the commit counts it under its asset).
/// </summary>
internal readonly record struct PendingWrite(string Key, object? Object, long Amount, bool IsAmount, Account? Account)
{
    /// <summary>The value written (a number written as an amount boxed again: for readers off the hot path).</summary>
    public object? Value => IsAmount ? Amount : Object;
}
