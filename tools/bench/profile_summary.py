#!/usr/bin/env python3
"""Summarises an ONNX Runtime profile (the JSON that SessionTiming.java -Dprofile=1 writes): time per op type
per run, its share, and nodes per run; with --nodes OP[,OP...], one line per node of those op types.

Usage: python3 tools/bench/profile_summary.py PROFILE.json [--nodes Conv,MaxPool]
"""
import argparse
import collections
import json


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile")
    parser.add_argument("--nodes", help="comma-separated op types to list node by node")
    args = parser.parse_args()
    events = json.load(open(args.profile))
    runs = max(1, sum(1 for e in events if e.get("name") == "model_run"))
    by_op = collections.defaultdict(float)
    count = collections.Counter()
    by_node = collections.defaultdict(float)
    node_op = {}
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            op = e["args"].get("op_name")
            node = e["name"][: -len("_kernel_time")]
            by_op[op] += e["dur"]
            count[op] += 1
            by_node[node] += e["dur"]
            node_op[node] = (op, e["args"].get("output_type_shape"))
    total = sum(by_op.values())
    print(f"{runs} runs, {total / runs / 1000:.2f} ms of kernels per run")
    for op, us in sorted(by_op.items(), key=lambda kv: -kv[1]):
        print(f"{op:24s} {us / runs / 1000:8.2f} ms {100 * us / total:5.1f}%  {count[op] / runs:4.0f} nodes")
    if args.nodes:
        wanted = set(args.nodes.split(","))
        for node, us in sorted(by_node.items(), key=lambda kv: -kv[1]):
            if node_op[node][0] in wanted:
                print(f"{us / runs / 1000:8.3f} ms  {node_op[node][0]:16s} {node}  {node_op[node][1]}")


if __name__ == "__main__":
    main()
