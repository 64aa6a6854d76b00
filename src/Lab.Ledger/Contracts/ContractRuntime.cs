using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Ledger.Contracts;

/// <summary>Costs and bookkeeping of a <see cref="ContractRuntime"/>.</summary>
public sealed record ContractRuntimeOptions
{
    /// <summary>CPU charged per executed call (signature check, dispatch, state access). Default 50 µs,
    /// the order of one ECDSA P-256 verify on a commodity core.</summary>
    public Duration CpuPerCall { get; init; } = Duration.FromMicros(50);

    /// <summary>Name of the one node whose runtime records counters into the run's metrics (every replica
    /// executes the same calls; counting on all would multiply totals). Null: none records.</summary>
    public string? MetricsNode { get; init; }

    /// <summary>Keep emitted events in <see cref="ContractRuntime.Events"/> (for audits and tests).</summary>
    public bool KeepEvents { get; init; } = true;
}

/// <summary>
/// The replicated contract machine: every replica owns one and applies each committed block to it.
/// Per transaction: the submitter must be a consortium member (regulators are read-only), the call
/// runs against a buffered write set, and either all its writes commit or none do. Duplicates (a
/// client resubmitting after a timeout) are not re-executed: they get the first outcome again.
/// After every block the runtime checks asset conservation: for each asset touched, the sum of all
/// balances equals the supply, which only the issuer changes (issue/redeem).
/// </summary>
public sealed class ContractRuntime : IStateMachine
{
    private readonly SortedDictionary<string, IContract> _contracts = new(StringComparer.Ordinal);
    // The same contracts by hash, for the lookup in every call (the sorted map compares whole names).
    private readonly Dictionary<string, IContract> _contractsByName = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _issuers;
    private readonly Dictionary<string, long> _balanceTotals = new(StringComparer.Ordinal);
    // Executed transactions → their outcome, as an index into _outcomes (0: accepted, the shared TxOutcome.Ok). Every replica
    // keeps one per transaction of the run: a dense slot per (client, sequence) instead of a hash entry (no rehashing of a
    // table that grows all run, no cache miss per probe); rejections, rare, each keep their own outcome.
    private readonly TxIdMap _executed = new();
    private readonly List<TxOutcome> _outcomes = [TxOutcome.Ok];
    private readonly List<ContractEvent> _events = [];
    private readonly ContractRuntimeOptions _options;
    private readonly ContractContext _call;
    // Assets whose balances or supply a block changed, reused from block to block (a block touches a few).
    private readonly TouchedAssets _touched = new();
    private long _height;

    public ContractRuntime(Membership members, IEnumerable<IContract> contracts, IReadOnlyDictionary<string, string> assetIssuers, ContractRuntimeOptions? options = null)
    {
        Members = members;
        foreach (var c in contracts) _contracts.Add(c.Name, c);
        foreach (var (name, c) in _contracts) _contractsByName.Add(name, c);
        _issuers = new SortedDictionary<string, string>(assetIssuers.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
        _assets = new HashSet<string>(_issuers.Keys, StringComparer.Ordinal);
        _options = options ?? new ContractRuntimeOptions();
        _call = new ContractContext(this);
    }

    public Membership Members { get; }
    public VersionedState State { get; } = new();
    public IReadOnlyList<ContractEvent> Events => _events;
    /// <summary>Height of the last applied block (0 before any).</summary>
    public long Height => _height;
    public long Accepted { get; private set; }
    public long Rejected { get; private set; }
    public long UnauthorisedCalls { get; private set; }
    public long ConservationViolations { get; private set; }
    public IReadOnlyCollection<string> Assets => _issuers.Keys;
    /// <summary>Name of the node that applies blocks to this runtime (set by the first block; null before).</summary>
    public string? Node { get; private set; }

    public bool IsAsset(string asset) => _assets.Contains(asset);

    // The assets by hash, for the check in every transfer (the sorted map compares whole names).
    private readonly HashSet<string> _assets;
    public string? IssuerOf(string asset) => _issuers.GetValueOrDefault(asset);

    internal static string BalanceKey(string asset, string holder) => string.Concat("balance/", asset, "/", holder);

    private readonly Dictionary<string, Dictionary<string, Account>> _accounts = new(StringComparer.Ordinal);

    /// <summary>The account of a balance named by strings, built once per (asset, holder): calls touch the same accounts again and again.</summary>
    internal Account CachedAccount(string asset, string holder)
    {
        if (!_accounts.TryGetValue(asset, out var byHolder)) _accounts[asset] = byHolder = new(StringComparer.Ordinal);
        if (!byHolder.TryGetValue(holder, out var account)) byHolder[holder] = account = new Account(asset, holder);
        return account;
    }

    // The asset of a balance key written by name (Put), up to its first slash; balances written through an Account carry it.
    private static string AssetOfBalanceKey(string key)
    {
        var slash = key.IndexOf('/', BalancePrefix.Length);
        return key[BalancePrefix.Length..slash];
    }

    internal static string SupplyKey(string asset) => SupplyPrefix + asset;
    internal const string SupplyPrefix = "supply/";

    private readonly Dictionary<string, string> _supplyKeys = new(StringComparer.Ordinal);

    /// <summary>The state key of an asset's supply, built once per asset (the conservation check reads it after every block).</summary>
    internal string CachedSupplyKey(string asset)
    {
        ref var key = ref CollectionsMarshal.GetValueRefOrAddDefault(_supplyKeys, asset, out var existed);
        if (!existed) key = string.Intern(SupplyKey(asset));   // one object per key, as for Account.Key
        return key!;
    }
    internal const string BalancePrefix = "balance/";

    public long Balance(string asset, string holder) => State.Get(BalanceKey(asset, holder)) is long b ? b : 0;
    public long Supply(string asset) => State.AmountOf(CachedSupplyKey(asset));

    /// <summary>Outcome of a transaction already executed here, if any.</summary>
    public TxOutcome? OutcomeOf(TxId tx) => _executed.TryGetValue(tx, out var at) ? _outcomes[(int)at] : null;

    private void RecordOutcome(TxId tx, TxOutcome outcome)
    {
        if (ReferenceEquals(outcome, TxOutcome.Ok)) { _executed.Set(tx, 0); return; }
        _executed.Set(tx, _outcomes.Count);
        _outcomes.Add(outcome);
    }

    public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx)
    {
        if (block.Height != _height + 1)
            throw new InvalidOperationException($"block {block.Height} applied after {_height}: replicas apply committed blocks in height order");
        Node ??= ctx.Directory.Name(ctx.Self);
        var record = _options.MetricsNode is { } m && ctx.Directory.Name(ctx.Self) == m;
        var outcomes = new TxOutcome[block.Transactions.Count];
        var touched = _touched;
        touched.Clear();
        var cpu = Duration.Zero;
        for (int i = 0; i < outcomes.Length; i++)
        {
            var tx = block.Transactions[i];
            if (_executed.TryGetValue(tx.Id, out var at)) { outcomes[i] = _outcomes[(int)at]; continue; }
            // Recorded once it ran: a contract that fails outright leaves no half-recorded transaction.
            var outcome = Execute(tx, block.Height, touched, ref cpu);
            RecordOutcome(tx.Id, outcome);
            outcomes[i] = outcome;
            if (record)
            {
                ctx.Metrics.Add(outcome.Accepted ? LedgerMetrics.ContractAccepted : LedgerMetrics.ContractRejected);
                if (outcome.Reason?.StartsWith("unauthorised", StringComparison.Ordinal) == true && !outcome.Accepted)
                    ctx.Metrics.Add(LedgerMetrics.ContractUnauthorised);
            }
        }
        _height = block.Height;
        CheckConservation(touched, ctx, record);
        if (cpu > Duration.Zero) ctx.ChargeCpu(cpu);
        return outcomes;
    }

    /// <summary>Executes the genesis allocation (height 0) as if each call were submitted by its caller.
    /// Used to issue the opening balances identically on every replica.</summary>
    public void ApplyGenesis(IEnumerable<(string Caller, ContractCall Call)> calls)
    {
        if (_height != 0) throw new InvalidOperationException("genesis after the first block");
        var touched = new TouchedAssets();
        var cpu = Duration.Zero;
        long seq = 0;
        foreach (var (caller, call) in calls)
        {
            var tx = new Transaction(new TxId(-(++seq)), caller, call, 0, SimTime.Zero);
            var o = Execute(tx, 0, touched, ref cpu);
            if (!o.Accepted) throw new InvalidOperationException($"genesis call {call} by {caller} rejected: {o.Reason}");
        }
        foreach (var asset in touched.Ordered())
            if (_balanceTotals.GetValueOrDefault(asset) != Supply(asset))
                throw new InvalidOperationException($"genesis breaks conservation of {asset}");
    }

    private TxOutcome Execute(Transaction tx, long height, TouchedAssets touched, ref Duration cpu)
    {
        cpu += _options.CpuPerCall;
        if (tx.Payload is not ContractCall call) { Rejected++; return new TxOutcome(false, "not a contract call"); }
        if (!Members.IsMember(tx.Submitter)) return Unauthorised($"unauthorised: {tx.Submitter} is not a consortium member");
        if (Members.Has(tx.Submitter, Membership.Regulator)) return Unauthorised($"unauthorised: {tx.Submitter} is a regulator (read-only)");
        if (!_contractsByName.TryGetValue(call.Contract, out var contract)) { Rejected++; return new TxOutcome(false, $"no contract '{call.Contract}'"); }

        _call.Begin(tx.Submitter, height, tx.Id, call.Contract);
        try
        {
            contract.Execute(_call, call.Method, call.Arguments);
        }
        catch (ContractRejected r)
        {
            _call.Declined = null;
            cpu += _call.Cpu;
            if (r.Unauthorised) return Unauthorised(r.Reason);
            Rejected++;
            return new TxOutcome(false, r.Reason);
        }
        cpu += _call.Cpu;
        if (_call.Declined is { } declined)
        {
            Rejected++;
            return new TxOutcome(false, declined);
        }
        Commit(height, tx.Id, touched);
        Accepted++;
        // A contract may report a result in the reason of an accepted call (e.g. trades left unsettled).
        return _call.Events.Count > 0 && _call.Events[^1].Name == ResultEvent
            ? new TxOutcome(true, _call.Events[^1].Data as string)
            : TxOutcome.Ok;
    }

    /// <summary>An accepted call whose last event has this name returns the event's text as its outcome reason.</summary>
    public const string ResultEvent = "result";

    private TxOutcome Unauthorised(string reason)
    {
        UnauthorisedCalls++;
        Rejected++;
        return new TxOutcome(false, reason);
    }

    private void Commit(long height, TxId tx, TouchedAssets touched)
    {
        foreach (var (key, value, amount, isAmount, account) in _call.Writes)
        {
            // A balance written through its account is a number: written and replaced without boxing.
            long before, after;
            if (isAmount) { before = State.WriteAmount(key, amount, height); after = amount; }
            else { before = State.Write(key, value, height) is long b ? b : 0; after = value is long a ? a : 0; }
            if (account is not null || key.StartsWith(BalancePrefix, StringComparison.Ordinal))
            {
                // Track the running sum of balances per asset from the writes themselves, independently
                // of how a contract computed them: this is what the conservation check compares.
                var asset = account?.TotalOf ?? AssetOfBalanceKey(key);
                ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(_balanceTotals, asset, out _);
                total += after - before;
                touched.Add(asset);
            }
            else if (key.StartsWith("supply/", StringComparison.Ordinal)) touched.Add(key["supply/".Length..]);
        }
        if (_options.KeepEvents)
            foreach (var (name, data) in _call.Events)
                if (name != ResultEvent) _events.Add(new ContractEvent(height, tx, _call.Contract, name, data));
    }

    private void CheckConservation(TouchedAssets touched, INodeContext ctx, bool record)
    {
        foreach (var asset in touched.Ordered())
        {
            var total = _balanceTotals.GetValueOrDefault(asset);
            var supply = Supply(asset);
            if (total == supply) continue;
            ConservationViolations++;
            ctx.Metrics.Note(LedgerMetrics.ConservationFinding,
                $"{ctx.Directory.Name(ctx.Self)} at height {_height}: balances of {asset} sum to {total} but supply is {supply}");
            if (record) ctx.Metrics.Add(LedgerMetrics.ConservationViolations);
        }
    }

    /// <summary>Full audit (every balance key): asset → (sum of balances, supply). Slow; for tests and the regulator.</summary>
    public IReadOnlyList<(string Asset, long Balances, long Supply)> Audit()
    {
        var sums = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var a in _issuers.Keys) sums[a] = 0;
        foreach (var (key, v) in State.Ordered())
        {
            if (!key.StartsWith(BalancePrefix, StringComparison.Ordinal)) continue;
            var slash = key.IndexOf('/', BalancePrefix.Length);
            var asset = key[BalancePrefix.Length..slash];
            sums[asset] = sums.GetValueOrDefault(asset) + (v.Value is long b ? b : 0);
        }
        return sums.Select(kv => (kv.Key, kv.Value, Supply(kv.Key))).ToList();
    }

    /// <summary>Whether every two runtimes at the same height hold the same state (what equal <see cref="Digest"/>s mean),
    /// compared directly: each runtime against the first one at its height (sameness is transitive).</summary>
    public static bool SameStateAtEachHeight(IEnumerable<ContractRuntime> runtimes)
    {
        var firstAt = new Dictionary<long, ContractRuntime>();
        foreach (var r in runtimes)
        {
            if (!firstAt.TryGetValue(r.Height, out var first)) firstAt[r.Height] = r;
            else if (!first.State.SameAs(r.State)) return false;
        }
        return true;
    }

    /// <summary>SHA-256 over the ordered state: replicas that applied the same blocks have the same digest.</summary>
    public Hash Digest()
    {
        var sb = new StringBuilder();
        foreach (var (key, v) in State.Ordered()) sb.Append(key).Append('=').Append(v.Value).Append('@').Append(v.Version).Append('\n');
        return Hash.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}

/// <summary>
/// The assets a block changed, each once, listed in ordinal order for the conservation check. A block touches a few
/// (a DvP: the currency and one security), so a short list searched by reference first beats a sorted set, which
/// allocated a tree node per asset per block and an enumerator stack per check on every replica.
/// </summary>
internal sealed class TouchedAssets
{
    private readonly List<string> _assets = [];
    private bool _sorted = true;

    public void Clear()
    {
        _assets.Clear();
        _sorted = true;
    }

    public void Add(string asset)
    {
        var assets = CollectionsMarshal.AsSpan(_assets);
        for (int i = 0; i < assets.Length; i++)
            if (ReferenceEquals(assets[i], asset)) return;
        for (int i = 0; i < assets.Length; i++)
            if (string.Equals(assets[i], asset, StringComparison.Ordinal)) return;
        _assets.Add(asset);
        _sorted = _assets.Count == 1 || (_sorted && string.CompareOrdinal(_assets[^2], asset) < 0);
    }

    /// <summary>The assets in ordinal order (sorted in place when added out of order).</summary>
    public List<string> Ordered()
    {
        if (!_sorted)
        {
            _assets.Sort(StringComparer.Ordinal);
            _sorted = true;
        }
        return _assets;
    }
}
