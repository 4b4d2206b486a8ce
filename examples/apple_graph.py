"""The book's computational graph: 2 apples at 100 yen with 10% tax cost 220; backprop gives 2.2, 110, 200."""

from __future__ import annotations

from nerve.layers import Add, Multiply


def main() -> dict:
    apple, apple_num, tax = 100, 2, 1.1
    mul_apple, mul_tax = Multiply(), Multiply()

    # forward: price = (apple * apple_num) * tax
    apple_price = mul_apple.forward(apple, apple_num)
    price = mul_tax.forward(apple_price, tax)

    # backward from dprice = 1, each node multiplying by its local derivative
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    print(f"price {price:g}; dapple {dapple:g}, dapple_num {dapple_num:g}, dtax {dtax:g}")  # 220; 2.2, 110, 200

    # apples and oranges: (100*2 + 150*3) * 1.1 = 715
    orange, orange_num = 150, 3
    mul_a, mul_o, add, mul_t = Multiply(), Multiply(), Add(), Multiply()
    total = mul_t.forward(add.forward(mul_a.forward(apple, apple_num), mul_o.forward(orange, orange_num)), tax)
    dall, dtax2 = mul_t.backward(1)
    da, do = add.backward(dall)
    d_apple, d_apple_num = mul_a.backward(da)
    d_orange, d_orange_num = mul_o.backward(do)
    print(f"fruit {total:g}; dapple_num {d_apple_num:g}, dapple {d_apple:g}, dorange {d_orange:g}, "
          f"dorange_num {d_orange_num:g}, dtax {dtax2:g}")  # 715; 110, 2.2, 3.3, 165, 650
    return {"price": price, "dapple": dapple, "dapple_num": dapple_num, "dtax": dtax,
            "fruit_price": total, "fruit_grads": (d_apple_num, d_apple, d_orange, d_orange_num, dtax2)}


if __name__ == "__main__":
    main()
