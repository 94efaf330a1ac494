// Prints the queries the shop runs. The names in them come from Schema/*.sql through the
// generated Shop.Db accessors; the deployment plan is in bin/<configuration>/net10.0/schema/.
using Shop;

Console.WriteLine($"-- {Db.Customers.Table}: {Db.Customers.Email}, {Db.Customers.DisplayName}");
Console.WriteLine(OrderQueries.RecentOrdersOfCustomer);
Console.WriteLine(OrderQueries.LinesOfOrder);
Console.WriteLine(OrderQueries.Summaries);
Console.WriteLine(OrderQueries.InsertPayment);
Console.WriteLine(CatalogQueries.ProductsInCategory);
Console.WriteLine(CatalogQueries.Reserve);
