#!/usr/bin/env python3
"""Writes the MaxPool-backward variants of optimisations.md as small ONNX models (v0.onnx .. v3.onnx in the
current directory): the stem MaxPool of ResNet-18 (3x3, stride 2, pad 1, 64x112x112) with inputs x and g
(the output cotangent) and outputs y and gx. v0 is the current rule (MaxPool with Indices, ScatterElements);
v1 to v3 use the fast MaxPool and route g to the first maximum of each window without indices. Time and
compare them with SessionTiming.java. Needs /usr/bin/python3 with onnx and numpy.
"""
import onnx, numpy as np
from onnx import helper as h, TensorProto as T, numpy_helper as nh
C=64; H=112; OH=56
def model(name, nodes, inits, extra_out=()):
    g = h.make_graph(nodes, name,
        [h.make_tensor_value_info('x', T.FLOAT, ['n', C, H, H]), h.make_tensor_value_info('g', T.FLOAT, ['n', C, OH, OH])],
        [h.make_tensor_value_info('y', T.FLOAT, None), h.make_tensor_value_info('gx', T.FLOAT, None)], inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid('', 18)]); m.ir_version = 8
    onnx.save(m, name + '.onnx')
def i64(name, v): return nh.from_array(np.array(v, dtype=np.int64), name)
# v0: the current rule
nodes = [h.make_node('MaxPool', ['x'], ['y', 'ind'], kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1]),
    h.make_node('Shape', ['x'], ['xs']), h.make_node('ConstantOfShape', ['xs'], ['z']),
    h.make_node('Reshape', ['z', 'm1'], ['zf']), h.make_node('Reshape', ['ind', 'm1'], ['if']), h.make_node('Reshape', ['g', 'm1'], ['gf']),
    h.make_node('ScatterElements', ['zf', 'if', 'gf'], ['sf'], axis=0, reduction='add'),
    h.make_node('Reshape', ['sf', 'xs'], ['gx'])]
model('v0', nodes, [i64('m1', [-1])])
# the 9 window offsets as strided Slices of the -inf-padded input
def stack():
    n = [h.make_node('MaxPool', ['x'], ['y'], kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1]),
         h.make_node('Pad', ['x', 'pads', 'ninf'], ['xp'])]
    ins = [i64('pads', [0,0,1,1,0,0,1,1]), nh.from_array(np.array(-np.inf, dtype=np.float32), 'ninf'), i64('ax2', [2]), i64('axes23', [2,3]), i64('st2', [2,2])]
    parts = []
    for di in range(3):
        for dj in range(3):
            k = f'{di}{dj}'
            ins += [i64('s'+k, [di, dj]), i64('e'+k, [di + 2*OH - 1, dj + 2*OH - 1])]
            n.append(h.make_node('Slice', ['xp', 's'+k, 'e'+k, 'axes23', 'st2'], ['S'+k]))
            parts.append('S'+k)
    return n, ins, parts
def unpool(n, ins, t5):
    # t5: [N,C,9,OH,OH] -> gx via grouped ConvTranspose
    w = np.zeros((C*9, 1, 3, 3), np.float32)
    for c in range(C):
        for k in range(9): w[c*9+k, 0, k//3, k%3] = 1
    ins += [nh.from_array(w, 'onehot'), i64('r4', [0, C*9, OH, OH])]
    n += [h.make_node('Reshape', [t5, 'r4'], ['t4']),
          h.make_node('ConvTranspose', ['t4', 'onehot'], ['gx'], group=C, kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1], output_padding=[1,1])]
# v1: first maximum by ArgMax over the stacked windows
n, ins, parts = stack()
n += [h.make_node('Unsqueeze', [p, 'ax2'], ['U'+p]) for p in parts]
n += [h.make_node('Concat', ['U'+p for p in parts], ['S'], axis=2), h.make_node('ArgMax', ['S'], ['A'], axis=2, keepdims=1),
      h.make_node('Equal', ['A', 'rng'], ['OHk']), h.make_node('Unsqueeze', ['g', 'ax2'], ['g5']),
      h.make_node('Where', ['OHk', 'g5', 'zero'], ['T5'])]
ins += [i64('rng', np.arange(9).reshape(1,1,9,1,1)), nh.from_array(np.array(0, np.float32), 'zero')]
unpool(n, ins, 'T5'); model('v1', n, ins)
# v2: first match of Equal(window, y) by CumSum
n, ins, parts = stack()
n += [h.make_node('Unsqueeze', [p, 'ax2'], ['U'+p]) for p in parts]
n += [h.make_node('Concat', ['U'+p for p in parts], ['S'], axis=2), h.make_node('Unsqueeze', ['y', 'ax2'], ['y5']),
      h.make_node('Equal', ['S', 'y5'], ['E']), h.make_node('Cast', ['E'], ['Ef'], to=T.FLOAT),
      h.make_node('CumSum', ['Ef', 'axis'], ['Cs']), h.make_node('Equal', ['Cs', 'one'], ['first1']), h.make_node('And', ['E', 'first1'], ['first']),
      h.make_node('Unsqueeze', ['g', 'ax2'], ['g5']), h.make_node('Where', ['first', 'g5', 'zero'], ['T5'])]
ins += [nh.from_array(np.array(2, np.int64), 'axis'), nh.from_array(np.array(1, np.float32), 'one'), nh.from_array(np.array(0, np.float32), 'zero')]
unpool(n, ins, 'T5'); model('v2', n, ins)
# v3: g routed through 9 Equal/Where pairs
n, ins, parts = stack()
ins += [nh.from_array(np.array(0, np.float32), 'zero')]
rem = 'g'; takes = []
for i, p in enumerate(parts):
    n.append(h.make_node('Equal', [p, 'y'], ['E'+p]))
    n.append(h.make_node('Where', ['E'+p, rem, 'zero'], ['T'+p]))
    if i < 8:
        n.append(h.make_node('Where', ['E'+p, 'zero', rem], ['R'+p])); rem = 'R'+p
    n.append(h.make_node('Unsqueeze', ['T'+p, 'ax2'], ['UT'+p])); takes.append('UT'+p)
n.append(h.make_node('Concat', takes, ['T5'], axis=2))
unpool(n, ins, 'T5'); model('v3', n, ins)
