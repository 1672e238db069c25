import Foundation
import SluiceConnectors
import Testing

/// A client's mistakes writing into a SQL table are 422s that say what and where, and the
/// natural coercions into SQL columns are applied (booleans into INTEGER, integers into REAL,
/// ISO 8601 text into DATE and TIMESTAMP).
@Suite struct SQLSinkMistakesTests {
    static let config = TestServer.extraConfig + """

          - name: orders
            type: sqlite
            kind: sink
            options: {path: shop.sqlite, table: orders}
          - name: orders_read
            type: sqlite
            options: {path: shop.sqlite, table: orders}
        """

    static func withShop(_ body: (TestServer) async throws -> Void) async throws {
        let folder = try TemporaryDirectory("sluice-sql-mistakes")
        defer { folder.remove() }
        let database = try SQLiteDatabase(path: folder.file("shop.sqlite"), readOnly: false)
        try database.execute("CREATE TABLE orders (id INTEGER NOT NULL, total REAL, active INTEGER, placed DATE, at TIMESTAMP)")
        try await TestServer.run(in: folder, extraConfig: config, body)
    }

    @Test func aValueThatDoesNotFitIsLocated() async throws {
        try await Self.withShop { server in
            let body = #"{"id": 1, "total": 2.5}"# + "\n" + #"{"id": 2, "total": "abc"}"# + "\n"
            let response = try await server.client.post("/v1/sinks/orders", text: body, contentType: "application/x-ndjson")
            try expectProblem(response, status: 422, slug: "invalid-body")
            let error = try response.json["errors"][0]
            #expect(error["line"].int == 2 && error["field"].string == "total", "\(response.text)")
            #expect(try await server.client.get("/v1/sources/orders_read/rows").text.isEmpty)
        }
    }

    @Test func aColumnTheTableLacksIsLocated() async throws {
        try await Self.withShop { server in
            let response = try await server.client.post("/v1/sinks/orders", text: #"{"id": 1, "extra": 5}"# + "\n",
                                                        contentType: "application/x-ndjson")
            try expectProblem(response, status: 422, slug: "invalid-body")
            let error = try response.json["errors"][0]
            #expect(error["line"].int == 1 && error["field"].string == "extra", "\(response.text)")
        }
    }

    @Test func aMissingValueOfANotNullColumnIsLocated() async throws {
        try await Self.withShop { server in
            let response = try await server.client.post("/v1/sinks/orders", text: "id,total\n1,2\n,3\n", contentType: "text/csv")
            try expectProblem(response, status: 422, slug: "invalid-body")
            #expect(try response.json["errors"][0]["line"].int == 3, "\(response.text)")
        }
    }

    @Test func naturalCoercionsAreApplied() async throws {
        try await Self.withShop { server in
            let body = #"{"id": 1, "total": 5, "active": true, "placed": "2024-01-02", "at": "2024-01-02T03:04:05Z"}"# + "\n"
                + #"{"id": 2, "total": 0.5, "active": false}"# + "\n"
            let response = try await server.client.post("/v1/sinks/orders", text: body, contentType: "application/x-ndjson")
            #expect(response.status == 200, "\(response.text)")
            let rows = try await server.client.get("/v1/sources/orders_read/rows").text
            #expect(rows.contains(#""total":5.0"#) || rows.contains(#""total":5"#), "\(rows)")
            #expect(rows.contains(#""active":1"#) && rows.contains(#""active":0"#), "\(rows)")
            #expect(rows.contains(#""placed":"2024-01-02""#), "\(rows)")
            #expect(rows.contains(#""at":"2024-01-02T03:04:05"#), "\(rows)")
        }
    }

    @Test func anExcelCSVWithAByteOrderMarkUploads() async throws {
        try await Self.withShop { server in
            let body = [0xEF, 0xBB, 0xBF] + Array("id,total\r\n7,1.5\r\n".utf8)
            let response = try await server.client.post("/v1/sinks/orders", body: body, contentType: "text/csv")
            #expect(response.status == 200, "\(response.text)")
            #expect(try await server.client.get("/v1/sources/orders_read/rows").text.contains(#""id":7"#))
        }
    }

    @Test func aTableWithAJSONColumnIsCheckedAtWriteTime() async throws {
        let folder = try TemporaryDirectory("sluice-sql-mistakes")
        defer { folder.remove() }
        let database = try SQLiteDatabase(path: folder.file("shop.sqlite"), readOnly: false)
        try database.execute("CREATE TABLE orders (id INTEGER NOT NULL, tags JSON)")
        try await TestServer.run(in: folder, extraConfig: Self.config) { server in
            let wrong = try await server.client.post("/v1/sinks/orders", text: #"{"id": 1, "extra": 5}"# + "\n",
                                                     contentType: "application/x-ndjson")
            try expectProblem(wrong, status: 422, slug: "invalid-body")
            #expect(try wrong.json["errors"][0]["field"].string == "extra", "\(wrong.text)")
            let right = try await server.client.post("/v1/sinks/orders", text: #"{"id": 1, "tags": ["a"]}"# + "\n",
                                                     contentType: "application/x-ndjson")
            #expect(right.status == 200, "\(right.text)")
        }
    }
}
