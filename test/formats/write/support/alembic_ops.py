"""Read an Alembic revision file with Python's own parser and print, as JSON, the SQL that
upgrade() and downgrade() pass to op.execute(), in order, with the autocommit_block() each one
sits in (null outside any block). Fails on any statement it does not understand, so a writer
change that the simulation cannot follow is noticed. Usage: python3 alembic_ops.py revision.py
"""
import ast
import json
import sys

AUTOCOMMIT = "op.get_context().autocommit_block()"


def operations(body, block, counter, out):
    for node in body:
        if isinstance(node, ast.With):
            exprs = [ast.unparse(item.context_expr) for item in node.items]
            if exprs != [AUTOCOMMIT]:
                sys.exit(f"unexpected with-statement: {exprs}")
            counter[0] += 1
            operations(node.body, counter[0], counter, out)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            if ast.unparse(call.func) != "op.execute" or len(call.args) != 1 or call.keywords:
                sys.exit(f"unexpected call: {ast.unparse(call)}")
            arg = call.args[0]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                sys.exit(f"op.execute without a string literal: {ast.unparse(arg)}")
            out.append({"block": block, "sql": arg.value})
        elif not isinstance(node, ast.Pass):
            sys.exit(f"unexpected statement: {ast.unparse(node)}")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        tree = ast.parse(f.read(), sys.argv[1])
    result = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in ("upgrade", "downgrade"):
            ops = []
            operations(node.body, None, [0], ops)
            result[node.name] = ops
        elif isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "revision":
            result["revision"] = ast.literal_eval(node.value)
    print(json.dumps(result))


main()
