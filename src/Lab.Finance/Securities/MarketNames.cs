namespace Lab.Finance.Securities;

/// <summary>Names of the market's parties and assets, shared by institutions and the chain contracts.</summary>
public sealed record MarketNames(int Members, int Securities, string Currency = "CNY")
{
    public string Member(int index) => $"broker{index + 1:00}";
    public string Security(int index) => $"SEC{index + 1:000}";
    public const string Ccp = "ccp";
    public const string Csd = "csd";
    public const string Bank = "settlement-bank";
    public const string Regulator = "regulator";
    public const string Exchange = "exchange";
    /// <summary>Pseudo-account through which a net settlement batch moves both legs (keeps conservation exact).</summary>
    public const string Escrow = "dvp-escrow";
}
