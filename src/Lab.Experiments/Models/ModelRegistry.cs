namespace Lab.Experiments.Models;

/// <summary>
/// The protocols and scenarios experiments can name. Add a model with one line in <see cref="Default"/>
/// (see <see cref="IModel"/> for the whole recipe).
/// </summary>
public sealed class ModelRegistry
{
    private readonly List<IModel> _models;

    public ModelRegistry(IEnumerable<IModel> models)
    {
        _models = [.. models];
        var dup = _models.GroupBy(m => (m.Kind, m.Name)).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"two models are called '{dup.Key.Name}'");
    }

    public static ModelRegistry Default { get; } = new(
    [
        new GossipModel(),
        new RaftModel(),
        new SoloModel(),
        new PbftModel(),
        new HotStuffModel(),
        new PowModel(),
        new SecuritiesModel(),
        new CrossBorderModel(),
        new SupplyChainModel(),
        new WarehouseReceiptsModel(),
        new InsuranceClaimsModel(),
        new BankConfirmationsModel(),
        new AbsModel(),
    ]);

    public IReadOnlyList<IModel> Models => _models;
    public IEnumerable<IModel> Protocols => _models.Where(m => m.Kind == ModelKind.Protocol);
    public IEnumerable<IModel> Scenarios => _models.Where(m => m.Kind == ModelKind.Scenario);

    public IModel? Find(ModelKind kind, string name) => _models.FirstOrDefault(m => m.Kind == kind && m.Name == name);

    /// <summary>A registry with more models (tests add stand-ins this way).</summary>
    public ModelRegistry With(params IModel[] more) => new(_models.Concat(more));
}
