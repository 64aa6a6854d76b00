namespace Lab.Finance.Securities;

/// <summary>Names of the market's parties and assets, shared by institutions and the chain contracts.</summary>
public sealed record MarketNames(int Members, int Securities, string Currency = "CNY")
{
    // Built once: contracts ask for names on every call, on every replica.
    private readonly string[] _members = Enumerable.Range(0, Members).Select(i => $"broker{i + 1:00}").ToArray();
    private readonly string[] _securities = Enumerable.Range(0, Securities).Select(i => $"SEC{i + 1:000}").ToArray();

    public string Member(int index) => _members[index];
    public string Security(int index) => _securities[index];
    public const string Ccp = "ccp";
    public const string Csd = "csd";
    public const string Bank = "settlement-bank";
    public const string Regulator = "regulator";
    public const string Exchange = "exchange";
    /// <summary>Pseudo-account through which a net settlement batch moves both legs (keeps conservation exact).</summary>
    public const string Escrow = "dvp-escrow";
}
