namespace Shop;

/// <summary>Catalog and stock queries over the generated accessors.</summary>
public static class CatalogQueries
{
    /// <summary>Active products of a category with what is in stock.</summary>
    public static string ProductsInCategory { get; } =
        $"SELECT p.{Db.Products.Id}, p.{Db.Products.Name}, p.{Db.Products.Price}, i.{Db.Inventory.OnHand} - i.{Db.Inventory.Reserved} AS available " +
        $"FROM {Db.Products.Table} p " +
        $"JOIN {Db.ProductCategories.Table} pc ON pc.{Db.ProductCategories.ProductId} = p.{Db.Products.Id} " +
        $"JOIN {Db.Categories.Table} c ON c.{Db.Categories.Id} = pc.{Db.ProductCategories.CategoryId} " +
        $"LEFT JOIN {Db.Inventory.Table} i ON i.{Db.Inventory.ProductId} = p.{Db.Products.Id} " +
        $"WHERE c.{Db.Categories.Slug} = @slug AND p.{Db.Products.Active} = 1";

    /// <summary>Reserves stock for an order line; fails (0 rows) when not enough is on hand.</summary>
    public static string Reserve { get; } =
        $"UPDATE {Db.Inventory.Table} SET {Db.Inventory.Reserved} = {Db.Inventory.Reserved} + @quantity " +
        $"WHERE {Db.Inventory.ProductId} = @productId AND {Db.Inventory.OnHand} - {Db.Inventory.Reserved} >= @quantity";
}
