.class public Lcom/amap/api/location/AMapLocation;
.super Landroid/location/Location;
.source "AMapLocation.java"

# AMap's location fix: a platform Location plus the SDK's own fields.

.field private errorCode:I

.method public constructor <init>(Landroid/location/Location;)V
    .registers 3
    invoke-direct {p0, p1}, Landroid/location/Location;-><init>(Landroid/location/Location;)V
    const/4 v0, 0x0
    iput v0, p0, Lcom/amap/api/location/AMapLocation;->errorCode:I
    return-void
.end method

.method public getErrorCode()I
    .registers 2
    iget v0, p0, Lcom/amap/api/location/AMapLocation;->errorCode:I
    return v0
.end method
