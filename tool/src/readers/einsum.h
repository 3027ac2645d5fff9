// Einsum planning shared by Dot, EinsumDense and MultiHeadAttention.
//
// A two-operand einsum `A,B->O` (batch letter removed, no repeated letters within a term) is brought into the
// canonical form the template kml::einsum computes:
//   O[s][l][r] = sum_c A[s][l][c] * B[s][c][r]
// with s = letters in A, B and O ("shared"), l = letters in A and O only, c = letters in A and B only
// (contracted), r = letters in B and O only. Each group keeps the order its letters have in O (s, l, r) or in
// A (c). The plan gives, for every canonical position, the flat row-major index into A, B and O.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace kml::readers {

struct EinsumPlan {
  std::size_t n_s = 1, n_l = 1, n_c = 1, n_r = 1;
  std::vector<std::size_t> a_index;  // canonical [s][l][c] -> flat index in A
  std::vector<std::size_t> b_index;  // canonical [s][c][r] -> flat index in B
  std::vector<std::size_t> o_index;  // canonical [s][l][r] -> flat index in O
  ir::Shape out_shape;               // shape of O (in O's letter order); {1} for a scalar result
};

// Throws kml::Error (message without file prefix) when the equation is not supported.
EinsumPlan plan_einsum(const std::string& a, const ir::Shape& a_shape, const std::string& b, const ir::Shape& b_shape,
                       const std::string& out);

// Split "abc,cde->abde" into its three terms; expands "..." using the operands' ranks (batch included).
// Returns false when the equation has not this form.
bool split_equation(const std::string& eq, std::string& a, std::string& b, std::string& out);

}  // namespace kml::readers

#include "readers/layers.h"

namespace kml::readers {

// Emit an "einsum" node O = einsum(A, B) (A and B are IR node names; terms without the batch letter).
ir::Node& emit_einsum(LayerCtx& c, const std::string& a, const std::string& b, const std::string& ta,
                      const std::string& tb, const std::string& to, const std::string& suffix);

// Emit an "einsum_dense" node O = einsum(A, kernel) + bias. `kernel` has term `tk`; `bias` (may be empty)
// has term `tbias` (letters of `to`). The kernel is stored in canonical [s][c][r] order.
ir::Node& emit_einsum_dense(LayerCtx& c, const std::string& a, const std::string& ta, const ir::Tensor& kernel,
                            const std::string& tk, const ir::Tensor* bias, const std::string& tbias,
                            const std::string& to, const std::string& suffix);

}  // namespace kml::readers
