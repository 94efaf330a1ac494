namespace Shop;

/// <summary>
/// The shop's order queries. Table and column names come from the generated <see cref="Db"/>
/// accessors, so renaming or dropping a column in Schema/*.sql breaks this file at compile time
/// instead of in production. Values always travel as parameters.
/// </summary>
public static class OrderQueries
{
    /// <summary>A customer's recent orders, newest first (served by ix_orders_customer_placed).</summary>
    public static string RecentOrdersOfCustomer { get; } =
        $"SELECT {Db.Orders.Id}, {Db.Orders.Status}, {Db.Orders.Total}, {Db.Orders.Currency}, {Db.Orders.PlacedAt} " +
        $"FROM {Db.Orders.Table} WHERE {Db.Orders.CustomerId} = @customerId ORDER BY {Db.Orders.PlacedAt} DESC LIMIT 20";

    /// <summary>The lines of one order with product names.</summary>
    public static string LinesOfOrder { get; } =
        $"SELECT l.{Db.OrderLines.LineNo}, p.{Db.Products.Sku}, p.{Db.Products.Name}, l.{Db.OrderLines.Quantity}, l.{Db.OrderLines.LineTotal} " +
        $"FROM {Db.OrderLines.Table} l JOIN {Db.Products.Table} p ON p.{Db.Products.Id} = l.{Db.OrderLines.ProductId} " +
        $"WHERE l.{Db.OrderLines.OrderId} = @orderId ORDER BY l.{Db.OrderLines.LineNo}";

    /// <summary>Order totals for the reporting screen, from the order_summaries view.</summary>
    public static string Summaries { get; } =
        $"SELECT * FROM {Db.OrderSummaries.View} WHERE {Db.Orders.CustomerId} = @customerId";

    /// <summary>Records a captured payment.</summary>
    public static string InsertPayment { get; } =
        $"INSERT INTO {Db.Payments.Table} ({Db.Payments.OrderId}, {Db.Payments.Provider}, {Db.Payments.ProviderRef}, {Db.Payments.Amount}, {Db.Payments.CapturedAt}) " +
        "VALUES (@orderId, @provider, @providerRef, @amount, @capturedAt)";
}
